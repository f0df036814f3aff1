/**
 * Loads a small, clearly fictional directory through the gateway's GraphQL API (the same path as a
 * person's mutations: validation, authorisation, events, projections).
 *
 *   node -r ./tools/register.js tools/demo/load-demo.ts [--if-empty]
 *
 * GATEWAY_URL (default http://127.0.0.1:4000), AUTH_JWT_SECRET (default: the development secret).
 */
import { DEV_JWT_SECRET, issueToken } from '@cnrms/auth';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const token = issueToken(
  { userId: 'system:demo-loader', displayName: 'Chargement des données de démonstration', roles: ['admin'], networkIds: [], microstructureIds: [] },
  { secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: '10m' },
);

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  return body.data as T;
}

/** A syntactically valid RPPS (10 digits and a Luhn key), deterministic per seed. Fictional. */
export function demoRpps(seed: number): string {
  const body = `1099${String(seed).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit *= 2;
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

interface DemoTeam {
  name: string;
  department: string;
  site: { name: string; type: string; address: { street: string; postalCode: string; city: string } };
  open: boolean;
  professionals: { firstName: string; lastName: string; profession: string }[];
  partners: { name: string; type: string }[];
}

const networks: { name: string; region: string; departments: string[]; teams: DemoTeam[] }[] = [
  {
    name: 'Réseau démo Val-Fictif',
    region: 'Grand Est (fictif)',
    departments: ['67', '68'],
    teams: [
      {
        name: 'Microstructure des Tilleuls (démo)',
        department: '67',
        site: { name: 'Cabinet des Tilleuls', type: 'GROUP_PRACTICE', address: { street: '1 rue de l’Exemple', postalCode: '67000', city: 'Villefictive' } },
        open: true,
        professionals: [
          { firstName: 'Alice', lastName: 'Exemple', profession: 'GENERAL_PRACTITIONER' },
          { firstName: 'Bruno', lastName: 'Modèle', profession: 'PSYCHOLOGIST' },
          { firstName: 'Chloé', lastName: 'Démo', profession: 'SOCIAL_WORKER' },
        ],
        partners: [
          { name: 'CSAPA fictif du Val', type: 'CSAPA' },
          { name: 'Pharmacie de démonstration', type: 'PHARMACY' },
        ],
      },
      {
        name: 'Microstructure MSP du Moulin (démo)',
        department: '68',
        site: { name: 'MSP du Moulin', type: 'MSP', address: { street: '2 place Imaginaire', postalCode: '68100', city: 'Bourg-Démo' } },
        open: true,
        professionals: [
          { firstName: 'David', lastName: 'Fictif', profession: 'GENERAL_PRACTITIONER' },
          { firstName: 'Emma', lastName: 'Essai', profession: 'PSYCHOLOGIST' },
        ],
        partners: [{ name: 'CMP fictif du Moulin', type: 'CMP' }],
      },
    ],
  },
  {
    name: 'Réseau démo Côte-Imaginaire',
    region: 'Occitanie (fictif)',
    departments: ['34', '30'],
    teams: [
      {
        name: 'Microstructure du Port (démo)',
        department: '34',
        site: { name: 'Cabinet du Port', type: 'SOLO_PRACTICE', address: { street: '3 quai Inventé', postalCode: '34000', city: 'Port-Fictif' } },
        open: true,
        professionals: [
          { firstName: 'Farid', lastName: 'Exemplaire', profession: 'GENERAL_PRACTITIONER' },
          { firstName: 'Gaëlle', lastName: 'Prototype', profession: 'PSYCHOLOGIST' },
          { firstName: 'Hugo', lastName: 'Maquette', profession: 'SOCIAL_WORKER' },
        ],
        partners: [{ name: 'CAARUD fictif du Port', type: 'CAARUD' }],
      },
      {
        name: 'Microstructure des Garrigues (démo)',
        department: '30',
        site: { name: 'Centre de santé des Garrigues', type: 'HEALTH_CENTRE', address: { street: '4 chemin Supposé', postalCode: '30000', city: 'Garrigue-Démo' } },
        open: false,
        professionals: [{ firstName: 'Inès', lastName: 'Brouillon', profession: 'SOCIAL_WORKER' }],
        partners: [],
      },
    ],
  },
  {
    name: 'Réseau démo Plateau-Modèle',
    region: 'Auvergne-Rhône-Alpes (fictif)',
    departments: ['69', '42'],
    teams: [
      {
        name: 'Microstructure de la Colline (démo)',
        department: '69',
        site: { name: 'Cabinet de la Colline', type: 'GROUP_PRACTICE', address: { street: '5 montée Fictive', postalCode: '69001', city: 'Colline-Démo' } },
        open: true,
        professionals: [
          { firstName: 'Jules', lastName: 'Spécimen', profession: 'GENERAL_PRACTITIONER' },
          { firstName: 'Karima', lastName: 'Échantillon', profession: 'PSYCHOLOGIST' },
          { firstName: 'Léo', lastName: 'Ébauche', profession: 'SOCIAL_WORKER' },
        ],
        partners: [{ name: 'Hôpital fictif de la Colline', type: 'HOSPITAL' }],
      },
    ],
  },
];

const OPENED_ON = '2026-01-05';

async function main() {
  if (process.argv.includes('--if-empty')) {
    const existing = await graphql<{ networks: { totalCount: number } }>('{ networks(page: { first: 1 }) { totalCount } }');
    if (existing.networks.totalCount > 0) {
      console.log(`[demo] the directory already holds ${existing.networks.totalCount} network(s): demo data not loaded again`);
      return;
    }
  }
  let seed = 1;
  let teamCount = 0;
  for (const network of networks) {
    const { createRegionalNetwork } = await graphql<{ createRegionalNetwork: { id: string } }>(
      'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }',
      { input: { name: network.name, region: network.region, departments: network.departments } },
    );
    for (const team of network.teams) {
      const { createMicrostructure } = await graphql<{ createMicrostructure: { id: string } }>(
        'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }',
        { input: { networkId: createRegionalNetwork.id, name: team.name, department: team.department, practiceSite: team.site } },
      );
      for (const person of team.professionals) {
        const needsRpps = person.profession === 'GENERAL_PRACTITIONER' || person.profession === 'PSYCHOLOGIST';
        const { registerProfessional } = await graphql<{ registerProfessional: { id: string } }>(
          'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }',
          { input: { ...person, ...(needsRpps ? { rpps: demoRpps(seed++) } : {}) } },
        );
        await graphql('mutation($input: AddMemberInput!) { addMember(input: $input) { professionalId } }', {
          input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: OPENED_ON },
        });
      }
      for (const partner of team.partners) {
        await graphql('mutation($input: AddPartnerInput!) { addPartner(input: $input) { id } }', { input: { microstructureId: createMicrostructure.id, ...partner } });
      }
      if (team.open) await graphql('mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { id } }', { id: createMicrostructure.id, on: OPENED_ON });
      teamCount++;
    }
  }
  console.log(`[demo] loaded ${networks.length} fictional regional networks and ${teamCount} microstructures`);
}

main().catch((error: Error) => {
  console.error(`[demo] ${error.message}`);
  process.exit(1);
});
