import { NetworkMoveStep, runNetworkMoveCommand } from '@cnrms/service-kit';

/**
 * The directory's part of moving a network to its own deployment (docs/deployments.md, "Moving a network"):
 * its microstructures' streams, and its professionals with their RPPS/ADELI claims (copied and kept
 * nationally for a professional who is also a member of a nationally hosted team). The network's own record
 * stays national: the national level owns it, the region has its copy.
 *
 *   MOVE_NETWORK_ID=… NATIONAL_DATABASE_URL=… REGION_DATABASE_URL=… npm run -s move-network:directory -- copy|release
 */
const directoryMoveStep: NetworkMoveStep = {
  service: 'directory',
  schema: 'directory',
  keptCategories: ['network', 'nationalnetwork'],
  async relatedStreams(national, networkStreams) {
    const { rows } = await national.query<{ professional_id: string; elsewhere: boolean }>(
      `with joined as (
         select distinct data->>'professionalId' as professional_id from directory.events
          where stream_id = any($1::text[]) and event_type = 'ProfessionalJoinedMicrostructure')
       select j.professional_id,
              exists (select 1 from directory.events o
                       where o.event_type = 'ProfessionalJoinedMicrostructure' and o.data->>'professionalId' = j.professional_id
                         and o.stream_id <> all($1::text[])) as elsewhere
         from joined j`,
      [networkStreams],
    );
    const streamsOf = async (professionalIds: string[]) => {
      if (professionalIds.length === 0) return [];
      const claims = await national.query<{ stream_id: string }>(
        `select distinct stream_id from directory.events where stream_category in ('rpps', 'adeli') and data->>'professionalId' = any($1::text[])`,
        [professionalIds],
      );
      return [...professionalIds.map((id) => `professional-${id}`), ...claims.rows.map((row) => row.stream_id)];
    };
    return {
      move: await streamsOf(rows.filter((row) => !row.elsewhere).map((row) => row.professional_id)),
      copy: await streamsOf(rows.filter((row) => row.elsewhere).map((row) => row.professional_id)),
    };
  },
};

void runNetworkMoveCommand(directoryMoveStep, process.env, process.argv.slice(2));
