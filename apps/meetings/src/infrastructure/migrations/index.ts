import { ReferenceData1764000000000 } from './1764000000000-reference-data';
import { PatientKeys1764000000100 } from './1764000000100-patient-keys';
import { Meetings1764000000200 } from './1764000000200-meetings';
import { NetworkMeetingTopics1764000000300 } from './1764000000300-network-meeting-topics';
import { Memberships1764000000400 } from './1764000000400-memberships';

/** The meetings schema's migrations, in order (the module runs them; the read-model specs too). */
export const meetingsMigrations = [ReferenceData1764000000000, PatientKeys1764000000100, Meetings1764000000200, NetworkMeetingTopics1764000000300, Memberships1764000000400];
