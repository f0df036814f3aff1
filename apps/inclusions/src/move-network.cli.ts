import { idsOfCategory, networkMoveKeys, runNetworkMoveCommand } from '@cnrms/service-kit';
import { rewrap } from './application/identity-cipher';
import { inclusionsSettings } from './config';

/**
 * Inclusions' part of moving a network to its own deployment (docs/deployments.md, "Moving a network"): its
 * patients', cases' and inclusions' streams (the encrypted identities as they are), each patient's data key
 * re-wrapped from the national master key to the region's, and the audit of identity reads. Released
 * nationally: the streams, the keys (nothing of those patients can be read there any more), the audit rows and
 * the copies of the network's teams.
 *
 *   MOVE_NETWORK_ID=… NATIONAL_DATABASE_URL=… REGION_DATABASE_URL=… INCLUSIONS_MASTER_KEY=<national> \
 *   REGION_INCLUSIONS_MASTER_KEY=<region> REGION_INCLUSIONS_MASTER_KEY_ID=<id> npm run -s move-network:inclusions -- copy|release
 */
const ofNetwork = `microstructure_id in (select id from inclusions.microstructures where network_id = $1)`;
void runNetworkMoveCommand(
  {
    service: 'inclusions',
    schema: 'inclusions',
    keys: { table: 'inclusions.patient_keys', patientIds: async (_db, _network, streams) => idsOfCategory(streams, 'patient'), rewrap },
    movedRows: [{ table: 'inclusions.identity_reads', where: ofNetwork }],
    removedCopies: [
      { table: 'inclusions.partners', where: ofNetwork },
      { table: 'inclusions.memberships', where: 'network_id = $1' },
      { table: 'inclusions.microstructures', where: 'network_id = $1' },
    ],
  },
  process.env,
  process.argv.slice(2),
  () =>
    networkMoveKeys(
      inclusionsSettings(),
      inclusionsSettings({ ...process.env, INCLUSIONS_MASTER_KEY: process.env.REGION_INCLUSIONS_MASTER_KEY, INCLUSIONS_MASTER_KEY_ID: process.env.REGION_INCLUSIONS_MASTER_KEY_ID, INCLUSIONS_PREVIOUS_MASTER_KEYS: '' }),
    ),
);
