import 'reflect-metadata';
import { runService } from '@cnrms/service-kit';
import { TrainingModule } from './training.module';

runService('training', 4104, (config, logger) => TrainingModule.forRoot(config, logger));
