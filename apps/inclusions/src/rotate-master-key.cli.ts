import { runKeyRotationCommand } from '@cnrms/service-kit';
import { rewrap } from './application/identity-cipher';
import { inclusionsSettings } from './config';

/**
 * Re-wraps every patient key of the inclusions service under the new master key, while the service runs
 * (see docs/observability-and-recovery.md, "Master key rotation"):
 *
 *   DATABASE_URL=… INCLUSIONS_MASTER_KEY=<new> INCLUSIONS_MASTER_KEY_ID=<new id> \
 *   INCLUSIONS_PREVIOUS_MASTER_KEYS=<old id>:<old key> npm run -s rotate-master-key:inclusions
 */
const settings = inclusionsSettings();
runKeyRotationCommand({
  service: 'inclusions',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cnrms',
  table: 'inclusions.patient_keys',
  ring: { current: { id: settings.masterKeyId, key: settings.masterKey }, previous: settings.previousMasterKeys },
  rewrap,
}).catch((error: unknown) => {
  process.stderr.write(`inclusions : rotation interrompue (${error instanceof Error ? error.message : String(error)}) ; relancez-la, elle reprend où elle en était.\n`);
  process.exitCode = 2;
});
