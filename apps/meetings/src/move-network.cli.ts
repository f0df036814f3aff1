import { networkMoveKeys, runNetworkMoveCommand } from '@cnrms/service-kit';
import { rewrap } from './application/summary-cipher';
import { meetingsSettings } from './config';

/**
 * Meetings' part of moving a network to its own deployment (docs/deployments.md, "Moving a network"): its
 * teams' meetings and case reviews (the encrypted summaries as they are), its network meetings, each patient's
 * data key re-wrapped from the national master key to the region's. Released nationally: the streams, the keys
 * and the copies of the network's teams and followed inclusions.
 *
 *   MOVE_NETWORK_ID=… NATIONAL_DATABASE_URL=… REGION_DATABASE_URL=… MEETINGS_MASTER_KEY=<national> \
 *   REGION_MEETINGS_MASTER_KEY=<region> REGION_MEETINGS_MASTER_KEY_ID=<id> npm run -s move-network:meetings -- copy|release
 */
void runNetworkMoveCommand(
  {
    service: 'meetings',
    schema: 'meetings',
    keys: {
      table: 'meetings.patient_keys',
      async patientIds(db, networkId) {
        const { rows } = await db.query<{ patient_id: string }>(
          `select patient_id from meetings.followed_inclusions where network_id = $1
           union select patient_id from meetings.case_reviews where microstructure_id in (select id from meetings.microstructures where network_id = $1)`,
          [networkId],
        );
        return rows.map((row) => row.patient_id);
      },
      rewrap,
    },
    removedCopies: [
      { table: 'meetings.memberships', where: 'network_id = $1' },
      { table: 'meetings.followed_inclusions', where: 'network_id = $1' },
      { table: 'meetings.microstructures', where: 'network_id = $1' },
    ],
  },
  process.env,
  process.argv.slice(2),
  () =>
    networkMoveKeys(
      meetingsSettings(),
      meetingsSettings({ ...process.env, MEETINGS_MASTER_KEY: process.env.REGION_MEETINGS_MASTER_KEY, MEETINGS_MASTER_KEY_ID: process.env.REGION_MEETINGS_MASTER_KEY_ID, MEETINGS_PREVIOUS_MASTER_KEYS: '' }),
    ),
);
