import { PlannedDirectory } from '../plan/plan.types';
import { IdMap } from './command.driver';
import { GatewayClient } from './gateway.client';

type MicrostructureNode = {
  id: string;
  name: string;
  status: string;
  members: { professionalId: string; profession: string; professional: { firstName: string; lastName: string } }[];
  partners: { id: string; name: string }[];
};
type Existing = { networks: Map<string, string>; microstructures: Map<string, MicrostructureNode> };

async function existingDirectory(client: GatewayClient, admin: string): Promise<Existing> {
  const networks = new Map<string, string>();
  const microstructures: Existing['microstructures'] = new Map();
  type NetworkPage = { networks: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string; name: string }[] } };
  type MsPage = { microstructures: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: MicrostructureNode[] } };
  let after: string | null = null;
  do {
    const page: NetworkPage = await client.data<NetworkPage>(admin, 'query($after: String) { networks(page: { first: 100, after: $after }) { pageInfo { hasNextPage endCursor } nodes { id name } } }', { after });
    for (const n of page.networks.nodes) networks.set(n.name, n.id);
    after = page.networks.pageInfo.hasNextPage ? page.networks.pageInfo.endCursor : null;
  } while (after);
  do {
    const page: MsPage = await client.data<MsPage>(
      admin,
      'query($after: String) { microstructures(page: { first: 100, after: $after }) { pageInfo { hasNextPage endCursor } nodes { id name status members { professionalId profession professional { firstName lastName } } partners { id name } } } }',
      { after },
    );
    for (const m of page.microstructures.nodes) microstructures.set(m.name, m);
    after = page.microstructures.pageInfo.hasNextPage ? page.microstructures.pageInfo.endCursor : null;
  } while (after);
  return { networks, microstructures };
}

/**
 * The plan's directory through the directory's mutations, as an administrator; what already exists
 * (same network or microstructure name, same member name and profession, same partner name) is reused,
 * so a second run completes a first one instead of duplicating it.
 */
export async function loadDirectory(client: GatewayClient, admin: string, directory: PlannedDirectory, log: (line: string) => void): Promise<IdMap> {
  const ids = new IdMap();
  const existing = await existingDirectory(client, admin);
  let created = 0;
  for (const network of directory.networks) {
    const known = existing.networks.get(network.name);
    if (known) ids.set(network.id, known);
    else {
      const { createRegionalNetwork } = await client.data<{ createRegionalNetwork: { id: string } }>(admin, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', {
        input: { name: network.name, region: network.region, departments: network.departments },
      });
      ids.set(network.id, createRegionalNetwork.id);
      created++;
    }
  }
  for (const m of directory.microstructures) {
    const known = existing.microstructures.get(m.name);
    let id = known?.id;
    if (!id) {
      const { createMicrostructure } = await client.data<{ createMicrostructure: { id: string } }>(admin, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId: ids.get(m.networkId), name: m.name, kind: m.kind, department: m.department, practiceSite: m.site },
      });
      id = createMicrostructure.id;
      created++;
    }
    ids.set(m.id, id);
    for (const person of m.members) {
      const member = known?.members.find((k) => k.profession === person.profession && k.professional.firstName === person.firstName && k.professional.lastName === person.lastName);
      if (member) {
        ids.set(person.id, member.professionalId);
        continue;
      }
      const { registerProfessional } = await client.data<{ registerProfessional: { id: string } }>(admin, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', {
        input: { firstName: person.firstName, lastName: person.lastName, profession: person.profession, ...(person.rpps && { rpps: person.rpps }) },
      });
      ids.set(person.id, registerProfessional.id);
      await client.data(admin, 'mutation($input: AddMemberInput!) { addMember(input: $input) { professionalId } }', { input: { microstructureId: id, professionalId: registerProfessional.id, startedOn: m.openedOn } });
    }
    for (const partner of m.partners) {
      const same = known?.partners.find((p) => p.name === partner.name);
      if (same) ids.set(partner.id, same.id);
      else {
        const { addPartner } = await client.data<{ addPartner: { id: string } }>(admin, 'mutation($input: AddPartnerInput!) { addPartner(input: $input) { id } }', { input: { microstructureId: id, name: partner.name, type: partner.type } });
        ids.set(partner.id, addPartner.id);
      }
    }
    if (!known || known.status === 'IN_CREATION') await client.data(admin, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { id } }', { id, on: m.openedOn });
  }
  log(`[generate] directory: ${directory.networks.length} networks, ${directory.microstructures.length} microstructures (${created} created, the rest already there)`);
  return ids;
}
