import { ReferenceData1765000000000 } from './1765000000000-reference-data';
import { Trainings1765000000100 } from './1765000000100-trainings';
import { NationalDays1765000000200 } from './1765000000200-national-days';
import { TrainingChanges1765000000300 } from './1765000000300-training-changes';

/** The training schema's migrations, in order (the module runs them; the read-model specs too). */
export const trainingMigrations = [ReferenceData1765000000000, Trainings1765000000100, NationalDays1765000000200, TrainingChanges1765000000300];
