import { runNetworkMoveCommand } from '@cnrms/service-kit';

/**
 * Training's part of moving a network to its own deployment (docs/deployments.md, "Moving a network"): the
 * network's trainings with their registrations and attendance. National days stay national (they belong to
 * the national level, whoever registered for them).
 *
 *   MOVE_NETWORK_ID=… NATIONAL_DATABASE_URL=… REGION_DATABASE_URL=… npm run -s move-network:training -- copy|release
 */
void runNetworkMoveCommand({ service: 'training', schema: 'training' }, process.env, process.argv.slice(2));
