import { DEV_JWT_SECRET, issueToken } from '@cnrms/auth';
import { CommandDriverResult, sendThroughGateway } from './drivers/command.driver';
import { GatewayClient } from './drivers/gateway.client';
import { parisYesterday } from './plan/dates';
import { planOnDirectory } from './plan/plan';
import { MicrostructureKind, PartnerType, PlannedDirectory, PlannedMicrostructure, Profession, PracticeSiteType } from './plan/plan.types';

/**
 * The demo's history: a year of activity generated on the demo directory that `tools/demo/load-demo.ts`
 * creates (its open microstructures, their teams and partners, with the ids the directory gave), sent
 * through the gateway like any team's work. Small enough to load in well under a minute.
 */
export const DEMO_HISTORY = { seed: 2026, months: 12, patientsPerYear: 160 } as const;

type DirectoryNode = {
  id: string;
  networkId: string;
  name: string;
  kind: MicrostructureKind;
  status: string;
  department: string;
  openedOn: string | null;
  practiceSite: PlannedMicrostructure['site'] & { type: PracticeSiteType };
  members: { professionalId: string; profession: Profession | 'OTHER'; startedOn: string; professional: { firstName: string; lastName: string; rpps: string | null } }[];
  partners: { id: string; name: string; type: PartnerType }[];
};

const PLANNED_PROFESSIONS: readonly string[] = ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST'];

/** The open microstructures of the directory, as a plan's directory (GPs first: they include and chair the meetings). */
export function asPlannedDirectory(nodes: DirectoryNode[]): PlannedDirectory {
  const microstructures = [...nodes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((m) => m.status === 'ACTIVE' && m.openedOn && m.members.some((p) => p.profession === 'GENERAL_PRACTITIONER'))
    .map((m): PlannedMicrostructure => {
      // In an order of their own (GPs first), so that the same seed gives the same history on every install.
      const key = (p: DirectoryNode['members'][number]) => `${p.profession === 'GENERAL_PRACTITIONER' ? 0 : 1}|${p.profession}|${p.professional.lastName}|${p.professional.firstName}`;
      const members = m.members.filter((p) => PLANNED_PROFESSIONS.includes(p.profession)).sort((a, b) => key(a).localeCompare(key(b)));
      const teamSince = members.reduce((latest, p) => (p.startedOn > latest ? p.startedOn : latest), m.openedOn!);
      return {
        id: m.id,
        networkId: m.networkId,
        name: m.name,
        kind: m.kind,
        department: m.department,
        site: m.practiceSite,
        openedOn: teamSince,
        members: members.map((p) => ({ id: p.professionalId, firstName: p.professional.firstName, lastName: p.professional.lastName, profession: p.profession as Profession, ...(p.professional.rpps && { rpps: p.professional.rpps }) })),
        partners: [...m.partners].sort((a, b) => a.name.localeCompare(b.name)),
        size: 1,
      };
    });
  const networkIds = [...new Set(microstructures.map((m) => m.networkId))];
  return { networks: networkIds.map((id) => ({ id, name: id, region: '', departments: [] })), microstructures };
}

export async function loadDemoHistory(options: { gatewayUrl: string; secret?: string; waitMs?: number; concurrency?: number; log: (line: string) => void }): Promise<CommandDriverResult> {
  const secret = options.secret ?? DEV_JWT_SECRET;
  const admin = issueToken({ userId: 'system:demo-loader', roles: ['admin'], networkIds: [], microstructureIds: [] }, { secret, expiresIn: '1h' });
  const client = new GatewayClient(options.gatewayUrl, options.waitMs ?? 60_000);
  const { microstructures } = await client.data<{ microstructures: { nodes: DirectoryNode[] } }>(
    admin,
    `{ microstructures(page: { first: 100 }) { nodes { id networkId name kind status department openedOn practiceSite { name type address { street postalCode city } }
       members { professionalId profession startedOn professional { firstName lastName rpps } } partners { id name type } } } }`,
  );
  const directory = asPlannedDirectory(microstructures.nodes);
  const plan = planOnDirectory(directory, { seed: DEMO_HISTORY.seed, regions: 1, networks: directory.networks.length, microstructures: directory.microstructures.length, patientsPerYear: DEMO_HISTORY.patientsPerYear, months: DEMO_HISTORY.months, endDate: parisYesterday() });
  return sendThroughGateway({ plan, gatewayUrl: options.gatewayUrl, secret, concurrency: options.concurrency ?? 6, ifEmpty: false, directoryExists: true, waitMs: options.waitMs, log: options.log });
}
