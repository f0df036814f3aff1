import { runKeyRotationCommand } from '@cnrms/service-kit';
import { rewrap } from './application/summary-cipher';
import { meetingsSettings } from './config';

/**
 * Re-wraps every patient key of the meetings service under the new master key, while the service runs
 * (see docs/observability-and-recovery.md, "Master key rotation"):
 *
 *   DATABASE_URL=… MEETINGS_MASTER_KEY=<new> MEETINGS_MASTER_KEY_ID=<new id> \
 *   MEETINGS_PREVIOUS_MASTER_KEYS=<old id>:<old key> npm run -s rotate-master-key:meetings
 */
const settings = meetingsSettings();
runKeyRotationCommand({
  service: 'meetings',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cnrms',
  table: 'meetings.patient_keys',
  ring: { current: { id: settings.masterKeyId, key: settings.masterKey }, previous: settings.previousMasterKeys },
  rewrap,
}).catch((error: unknown) => {
  process.stderr.write(`meetings : rotation interrompue (${error instanceof Error ? error.message : String(error)}) ; relancez-la, elle reprend où elle en était.\n`);
  process.exitCode = 2;
});
