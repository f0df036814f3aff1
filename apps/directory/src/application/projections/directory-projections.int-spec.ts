import { microstructureStream, professionalStream, regionalNetworkStream } from '@cnrms/domain-directory';
import { ProjectionSpec } from '@cnrms/eventsourcing/testing';
import { DirectoryReadModels1763800000000 } from '../../infrastructure/migrations/1763800000000-directory-read-models';
import { NetworkRegionCode1763800000100 } from '../../infrastructure/migrations/1763800000100-network-region-code';
import { directoryEntities } from '../../infrastructure/read-models.entities';
import { MicrostructuresProjection } from './microstructures.projection';
import { NetworksProjection } from './networks.projection';
import { ProfessionalsProjection } from './professionals.projection';

const networkId = 'net-1';
const microstructureId = 'ms-1';
const ids = { networkId, microstructureId };
const site = { name: 'Maison de santé des Tilleuls', type: 'MSP', address: { street: '1 rue des Tilleuls', postalCode: '67000', city: 'Strasbourg' } };

describe('directory read models on PostgreSQL', () => {
  let spec: ProjectionSpec;

  beforeAll(async () => {
    spec = await ProjectionSpec.start({
      label: 'directory_projections',
      schema: 'directory',
      entities: directoryEntities,
      migrations: [DirectoryReadModels1763800000000, NetworkRegionCode1763800000100],
      projections: [new NetworksProjection(), new MicrostructuresProjection(), new ProfessionalsProjection()],
    });
  });

  afterAll(async () => {
    await spec?.close();
  });

  it('given a network and its coordinators, lists the network with the one coordinator per role that remains', async () => {
    await spec.given(
      { streamId: regionalNetworkStream(networkId), type: 'RegionalNetworkCreated', data: { networkId, name: 'Réseau Alsace', region: 'Grand Est', regionCode: '44', departments: ['67'], createdAt: '2024-01-02T08:00:00.000Z' } },
      { streamId: regionalNetworkStream(networkId), type: 'DepartmentsCoveredChanged', data: { networkId, departments: ['67', '68'] } },
      { streamId: regionalNetworkStream(networkId), type: 'CoordinatorAppointed', data: { networkId, role: 'MEDICAL', coordinator: { name: 'Dr Anne Weber' }, appointedOn: '2024-02-01' } },
      { streamId: regionalNetworkStream(networkId), type: 'CoordinatorAppointed', data: { networkId, role: 'MEDICAL', coordinator: { name: 'Dr Paul Klein', email: 'p.klein@example.fr' }, appointedOn: '2024-03-01' } },
      { streamId: regionalNetworkStream(networkId), type: 'CoordinatorAppointed', data: { networkId, role: 'ADMINISTRATIVE', coordinator: { name: 'Marie Roth' }, appointedOn: '2024-03-01' } },
      { streamId: regionalNetworkStream(networkId), type: 'CoordinatorRemoved', data: { networkId, role: 'ADMINISTRATIVE', removedOn: '2024-06-30' } },
    );
    expect(await spec.rows(`select id, name, region, region_code as "regionCode", departments, coordinators from directory.networks`)).toEqual([
      { id: networkId, name: 'Réseau Alsace', region: 'Grand Est', regionCode: '44', departments: ['67', '68'], coordinators: [{ name: 'Dr Paul Klein', role: 'MEDICAL', email: 'p.klein@example.fr' }] },
    ]);
  });

  it('given a microstructure, its team and partners, shows it open, each membership with its dates, the partners that remain', async () => {
    await spec.given(
      { streamId: microstructureStream(microstructureId), type: 'MicrostructureCreated', data: { ...ids, name: 'Microstructure des Tilleuls', kind: 'MICROSTRUCTURE', practiceSite: site, department: '67', createdAt: '2024-01-10T09:00:00.000Z' } },
      { streamId: microstructureStream(microstructureId), type: 'ProfessionalJoinedMicrostructure', data: { ...ids, professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', role: 'MEMBER', startedOn: '2024-01-15' } },
      { streamId: microstructureStream(microstructureId), type: 'ProfessionalJoinedMicrostructure', data: { ...ids, professionalId: 'psy-1', profession: 'PSYCHOLOGIST', role: 'MEMBER', startedOn: '2024-01-15' } },
      { streamId: microstructureStream(microstructureId), type: 'MicrostructureOpened', data: { ...ids, kind: 'MICROSTRUCTURE', department: '67', openedOn: '2024-02-01' } },
      { streamId: microstructureStream(microstructureId), type: 'MembershipEnded', data: { ...ids, professionalId: 'psy-1', profession: 'PSYCHOLOGIST', startedOn: '2024-01-15', endedOn: '2024-12-31' } },
      { streamId: microstructureStream(microstructureId), type: 'PartnerAdded', data: { ...ids, partnerId: 'pa-1', name: 'CSAPA de Strasbourg', type: 'CSAPA' } },
      { streamId: microstructureStream(microstructureId), type: 'PartnerAdded', data: { ...ids, partnerId: 'pa-2', name: 'CMP Centre', type: 'CMP', contact: '03 88 00 00 00' } },
      { streamId: microstructureStream(microstructureId), type: 'PartnerRemoved', data: { ...ids, partnerId: 'pa-1' } },
    );
    expect(await spec.rows(`select id, status, opened_on::text as "openedOn", network_id as "networkId" from directory.microstructures`)).toEqual([
      { id: microstructureId, status: 'ACTIVE', openedOn: '2024-02-01', networkId },
    ]);
    expect(await spec.rows(`select professional_id as "professionalId", started_on::text as "startedOn", ended_on::text as "endedOn" from directory.memberships order by 1`)).toEqual([
      { professionalId: 'gp-1', startedOn: '2024-01-15', endedOn: null },
      { professionalId: 'psy-1', startedOn: '2024-01-15', endedOn: '2024-12-31' },
    ]);
    expect(await spec.rows(`select partner_id as "partnerId", contact from directory.partners`)).toEqual([{ partnerId: 'pa-2', contact: '03 88 00 00 00' }]);
  });

  it('given a professional registered then renamed, shows the new name and keeps the identifiers', async () => {
    await spec.given(
      { streamId: professionalStream('gp-1'), type: 'ProfessionalRegistered', data: { professionalId: 'gp-1', lastName: 'Martin', firstName: 'Claire', profession: 'GENERAL_PRACTITIONER', rpps: '10101010101', registeredAt: '2024-01-12T10:00:00.000Z' } },
      { streamId: professionalStream('gp-1'), type: 'ProfessionalIdentityChanged', data: { professionalId: 'gp-1', lastName: 'Martin-Keller', firstName: 'Claire', email: 'claire.martin@example.fr' } },
    );
    expect(await spec.rows(`select last_name as "lastName", rpps, email from directory.professionals`)).toEqual([{ lastName: 'Martin-Keller', rpps: '10101010101', email: 'claire.martin@example.fr' }]);
  });

  it('rebuilt from zero, every read model has the same rows', async () => {
    const { live, rebuilt } = await spec.rebuild();
    expect(Object.keys(live)).toEqual(expect.arrayContaining(['networks', 'microstructures', 'memberships', 'partners', 'professionals']));
    expect(rebuilt).toEqual(live);
  });
});
