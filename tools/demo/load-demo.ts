/**
 * Loads a small, clearly fictional directory through the gateway's GraphQL API (the same path as a
 * person's mutations: validation, authorisation, events, projections), then fictional patients
 * followed by the care team of one demo microstructure (`loadPatients` below), then a year of generated
 * activity on the open demo microstructures (`loadHistory`, tools/generate: patients, sessions, assessments,
 * exits, case-review meetings, each sent with the acting professional's token).
 *
 *   node -r ./tools/register.js tools/demo/load-demo.ts [--if-empty] [--phase base|history]
 *
 * `npm start` runs the compiled loader (dist/tools/demo/load-demo.js) twice: `--phase base` before it says the
 * platform is ready, `--phase history` (the generated year) after, in the background.
 *
 * GATEWAY_URL (default http://127.0.0.1:4000), AUTH_JWT_SECRET (default: the development secret),
 * DEMO_INCLUSIONS_WAIT_MS (default 60000): how long to wait for the care team to reach the inclusions
 * service before giving up on the demo patients (the platform still starts). DEMO_HISTORY=false skips the
 * generated year.
 */
import { DEV_JWT_SECRET, Identity, issueToken } from '@cnrms/auth';
import { DEMO_HISTORY, loadDemoHistory } from '../generate/src/demo';
import { CommandRefused } from '../generate/src/drivers/gateway.client';
import { addMonths, parisToday as todayInParis } from '../generate/src/plan/dates';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const tokenOf = (identity: Identity) => issueToken(identity, { secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, expiresIn: '10m' });
const token = tokenOf({ userId: 'system:demo-loader', displayName: 'Chargement des données de démonstration', roles: ['admin'], networkIds: [], microstructureIds: [] });

type GraphQLError = { message: string; extensions?: { code?: string; category?: string } };

async function request<T>(query: string, variables: Record<string, unknown>, bearer: string): Promise<{ data?: T; errors?: GraphQLError[] }> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: GraphQLError[] };
}

async function graphql<T>(query: string, variables: Record<string, unknown> = {}, bearer = token): Promise<T> {
  const body = await request<T>(query, variables, bearer);
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
    region: 'Grand Est',
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
    region: 'Occitanie',
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
    region: 'Auvergne-Rhône-Alpes',
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

// The demo teams exist since the 5th of the month 13 months ago, so that a year of generated history fits after it.
const OPENED_ON = `${addMonths(todayInParis(), -13).slice(0, 8)}05`;

/** `--phase base`: the directory, the care team's patients and the trainings; `--phase history`: the generated year; both by default. */
const phase = process.argv.includes('--phase') ? process.argv[process.argv.indexOf('--phase') + 1] : 'all';

async function main() {
  if (!['base', 'history', 'all'].includes(phase)) throw new Error(`--phase ${phase}: base, history or all`);
  if (phase !== 'history') {
    await loadDirectory();
    await loadPatients();
    await loadTrainings();
  }
  if (phase !== 'base') await loadHistory();
}

// ---- A year of generated activity on the demo's open microstructures (tools/generate) ----

/** DEMO_HISTORY=false skips it. Idempotent: patients already in a caseload and meetings already held are skipped. */
async function loadHistory() {
  if (process.env.DEMO_HISTORY === 'false') return;
  const started = Date.now();
  // A heartbeat while the year loads: whoever waits for the start (a person, the end-to-end tests) sees progress.
  const heartbeat = setInterval(() => console.log(`[demo] generated history: still loading (${((Date.now() - started) / 1000).toFixed(0)} s)`), 15_000);
  try {
    const { sent, skipped } = await loadDemoHistory({ gatewayUrl, secret: process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET, waitMs: INCLUSIONS_WAIT_MS, log: () => undefined });
    console.log(`[demo] generated history (${DEMO_HISTORY.months} months, seed ${DEMO_HISTORY.seed}): ${sent} commands sent, ${skipped} already there (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    if (!(error instanceof CommandRefused)) throw error;
    console.log(`[demo] the generated history stopped on a refusal (${error.message}); the platform starts anyway. Run \`node -r ./tools/register.js tools/demo/load-demo.ts --if-empty\` later to complete it.`);
  } finally {
    clearInterval(heartbeat);
  }
}

async function loadDirectory() {
  if (process.argv.includes('--if-empty')) {
    const existing = await graphql<{ networks: { totalCount: number } }>('{ networks(page: { first: 1 }) { totalCount } }');
    if (existing.networks.totalCount > 0) {
      console.log(`[demo] the directory already holds ${existing.networks.totalCount} network(s): demo directory not loaded again`);
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

// ---- Demo patients: the caseload of the Tilleuls care team (GP, psychologist, social worker above) ----

const CARE_TEAM_MICROSTRUCTURE = 'Microstructure des Tilleuls (démo)';
const INCLUSIONS_WAIT_MS = Number(process.env.DEMO_INCLUSIONS_WAIT_MS ?? 60_000);

type Profession = 'GENERAL_PRACTITIONER' | 'PSYCHOLOGIST' | 'SOCIAL_WORKER';
interface DemoSession {
  daysAgo: number;
  by: Profession;
  outcomes?: { screenings?: { disease: string; status: string; result?: string }[]; rights?: { right: string; status: string }[]; referToPartnerOfType?: string };
}
interface DemoPatient {
  identity: { lastName: string; firstName: string; birthDate: string; sex: string; contact?: string; socialSecurityNumber?: string };
  includedDaysAgo: number;
  reasons: string[];
  situation: { housing: string; income: string; healthCoverage: string; mainSubstances: string[]; daysOfUseLast30: number };
  sessions?: DemoSession[];
  inclusionAssessmentDaysAgo?: number;
  carePlan?: { goals: string[]; nextSteps: string[] };
  exit?: { daysAgo: number; reason: string };
}

/** A NIR (13 characters and their key, 97 − number mod 97) for a fictional person. */
const demoNir = (body: string) => body + String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');
const FICTIONAL = 'Patient fictif (données de démonstration)';

/** Fantasy surnames: nobody is called this way, and the contact says so. */
const patients: DemoPatient[] = [
  {
    identity: { lastName: 'Lunebrise', firstName: 'Aurèle', birthDate: '1984-03-14', sex: 'MALE', contact: FICTIONAL, socialSecurityNumber: demoNir('1840367482001') },
    includedDaysAgo: 150,
    reasons: ['ADDICTION'],
    situation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 24 },
    inclusionAssessmentDaysAgo: 148,
    sessions: [
      { daysAgo: 140, by: 'GENERAL_PRACTITIONER', outcomes: { screenings: [{ disease: 'HCV', status: 'DONE', result: 'NEGATIVE' }] } },
      { daysAgo: 120, by: 'PSYCHOLOGIST' },
      { daysAgo: 110, by: 'SOCIAL_WORKER', outcomes: { referToPartnerOfType: 'CSAPA' } },
    ],
    carePlan: { goals: ['Réduire la consommation d’alcool (exemple)'], nextSteps: ['Premier rendez-vous au CSAPA (exemple)'] },
  },
  {
    identity: { lastName: 'Ventôse', firstName: 'Marjolaine', birthDate: '1991-09-02', sex: 'FEMALE', contact: FICTIONAL },
    includedDaysAgo: 120,
    reasons: ['MENTAL_HEALTH'],
    situation: { housing: 'STABLE', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: [], daysOfUseLast30: 0 },
    sessions: [
      { daysAgo: 100, by: 'PSYCHOLOGIST' },
      { daysAgo: 60, by: 'PSYCHOLOGIST' },
    ],
  },
  {
    identity: { lastName: 'Brumecœur', firstName: 'Silvère', birthDate: '1976-11-23', sex: 'MALE', contact: FICTIONAL, socialSecurityNumber: demoNir('1761167482002') },
    includedDaysAgo: 200,
    reasons: ['ADDICTION', 'PRECARITY'],
    situation: { housing: 'HOMELESS', income: 'NONE', healthCoverage: 'NONE', mainSubstances: ['OPIOIDS', 'TOBACCO'], daysOfUseLast30: 28 },
    sessions: [{ daysAgo: 190, by: 'SOCIAL_WORKER', outcomes: { rights: [{ right: 'AME', status: 'GRANTED' }, { right: 'HOUSING', status: 'APPLIED' }] } }],
    exit: { daysAgo: 30, reason: 'GOALS_REACHED' },
  },
  {
    identity: { lastName: 'Pierrelune', firstName: 'Albane', birthDate: '2002-05-30', sex: 'FEMALE', contact: FICTIONAL },
    includedDaysAgo: 45,
    reasons: ['ADDICTION'],
    situation: { housing: 'PRECARIOUS', income: 'OTHER', healthCoverage: 'CSS', mainSubstances: ['CANNABIS'], daysOfUseLast30: 15 },
    sessions: [{ daysAgo: 30, by: 'GENERAL_PRACTITIONER', outcomes: { screenings: [{ disease: 'HIV', status: 'DONE', result: 'NEGATIVE' }, { disease: 'HCV', status: 'PROPOSED' }] } }],
  },
  {
    identity: { lastName: 'Cendrevive', firstName: 'Octave', birthDate: '1968-01-09', sex: 'MALE', contact: FICTIONAL },
    includedDaysAgo: 90,
    reasons: ['PRECARITY'],
    situation: { housing: 'INSTITUTION', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['TOBACCO'], daysOfUseLast30: 30 },
    sessions: [{ daysAgo: 80, by: 'SOCIAL_WORKER', outcomes: { rights: [{ right: 'INCOME', status: 'APPLIED' }], referToPartnerOfType: 'PHARMACY' } }],
  },
  {
    identity: { lastName: 'Ormeciel', firstName: 'Philomène', birthDate: '1959-07-18', sex: 'FEMALE', contact: FICTIONAL },
    includedDaysAgo: 60,
    reasons: ['MENTAL_HEALTH', 'PRECARITY'],
    situation: { housing: 'STABLE', income: 'BENEFITS', healthCoverage: 'FULL', mainSubstances: [], daysOfUseLast30: 0 },
    sessions: [{ daysAgo: 50, by: 'PSYCHOLOGIST' }],
  },
  {
    identity: { lastName: 'Givrelande', firstName: 'Barnabé', birthDate: '1995-12-01', sex: 'MALE', contact: FICTIONAL },
    includedDaysAgo: 20,
    reasons: ['ADDICTION'],
    situation: { housing: 'PRECARIOUS', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['COCAINE', 'ALCOHOL'], daysOfUseLast30: 8 },
    inclusionAssessmentDaysAgo: 18,
  },
  {
    identity: { lastName: 'Saulepâle', firstName: 'Clémentine', birthDate: '1988-04-25', sex: 'FEMALE', contact: FICTIONAL },
    includedDaysAgo: 10,
    reasons: ['OTHER'],
    situation: { housing: 'STABLE', income: 'UNKNOWN', healthCoverage: 'UNKNOWN', mainSubstances: [], daysOfUseLast30: 0 },
  },
];

const SESSION_KINDS: Record<Profession, string> = { GENERAL_PRACTITIONER: 'GP_CONSULTATION', PSYCHOLOGIST: 'PSYCHOLOGIST_SESSION', SOCIAL_WORKER: 'SOCIAL_WORK_INTERVIEW' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const parisToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const minusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** The inclusions service does not know the care team yet (the directory's events travel through the bus). */
class TeamNotKnownInTime extends Error {}

// Refusals that only mean "the directory's events have not all arrived yet".
const NOT_YET_KNOWN = new Set(['MICROSTRUCTURE_NOT_FOUND', 'TREATING_GP_NOT_MEMBER', 'UNKNOWN_PARTNER', 'SUBGRAPH_UNAVAILABLE', 'MICROSTRUCTURE_NOT_OPEN', 'NOT_A_MEMBER_ON_MEETING_DATE', 'PARTNER_NOT_OF_MICROSTRUCTURE']);
const notYetKnown = (error: GraphQLError) => (error.extensions?.category ?? error.extensions?.code) === 'FORBIDDEN' || NOT_YET_KNOWN.has(error.extensions?.code ?? '');

/** A call with a team member's token, repeated while the inclusions service does not know the team yet, until `deadline`. */
async function asMember<T>(deadline: number, bearer: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  for (;;) {
    const body = await request<T>(query, variables, bearer);
    if (!body.errors?.length) return body.data as T;
    const refusal = body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');
    if (!body.errors.every(notYetKnown)) throw new Error(refusal);
    if (Date.now() > deadline) throw new TeamNotKnownInTime(refusal);
    await sleep(250);
  }
}

/**
 * Patients are loaded with the team's own tokens (patient data is for the team only). Idempotent: a
 * patient whose name is already in the caseload is skipped. Each call waits (bounded) for the care team
 * to reach the inclusions service; when it does not in time, a log line says so and the platform starts
 * without the demo patients.
 */
async function loadPatients() {
  const { microstructures } = await graphql<{
    microstructures: { nodes: { id: string; name: string; networkId: string; members: { professionalId: string; profession: string; startedOn: string }[]; partners: { id: string; type: string }[] }[] };
  }>('{ microstructures(page: { first: 100 }) { nodes { id name networkId members { professionalId profession startedOn } partners { id type } } } }');
  const team = microstructures.nodes.find((m) => m.name === CARE_TEAM_MICROSTRUCTURE);
  if (!team) return console.log(`[demo] no « ${CARE_TEAM_MICROSTRUCTURE} » in the directory: demo patients not loaded`);
  const tokens = {} as Record<Profession, string>;
  for (const profession of Object.keys(SESSION_KINDS) as Profession[]) {
    const member = team.members.find((m) => m.profession === profession);
    if (!member) return console.log(`[demo] « ${CARE_TEAM_MICROSTRUCTURE} » has no ${profession}: demo patients not loaded`);
    tokens[profession] = tokenOf({ userId: `demo:${member.professionalId}`, roles: ['professional'], networkIds: [team.networkId], microstructureIds: [team.id], professionalId: member.professionalId });
  }
  const today = parisToday();
  const teamSince = team.members.reduce((latest, m) => (m.startedOn > latest ? m.startedOn : latest), '');
  if (teamSince > today) return console.log(`[demo] the demo care team starts on ${teamSince}, after today: demo patients not loaded`);

  const started = Date.now();
  try {
    const loaded = await loadCaseload(team, tokens, today, teamSince, started + INCLUSIONS_WAIT_MS);
    console.log(`[demo] « ${CARE_TEAM_MICROSTRUCTURE} »: ${loaded} fictional patient(s) loaded, ${patients.length - loaded} already there (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    if (!(error instanceof TeamNotKnownInTime)) throw error;
    console.log(
      `[demo] the inclusions service did not know the care team of « ${CARE_TEAM_MICROSTRUCTURE} » within ${INCLUSIONS_WAIT_MS / 1000} s (last answer: ${error.message}): ` +
        'demo patients not (all) loaded; the platform starts anyway. Run `node -r ./tools/register.js tools/demo/load-demo.ts --if-empty` later to complete them.',
    );
  }
}

async function loadCaseload(team: { id: string; members: { professionalId: string; profession: string }[]; partners: { id: string; type: string }[] }, tokens: Record<Profession, string>, today: string, teamSince: string, deadline: number) {
  const gpId = team.members.find((m) => m.profession === 'GENERAL_PRACTITIONER')!.professionalId;
  // Dates relative to today, never before the care team existed.
  const dayOf = (days: number) => {
    const date = minusDays(today, days);
    return date < teamSince ? teamSince : date;
  };
  const known = await caseloadNames(team.id, tokens.GENERAL_PRACTITIONER, deadline);
  let loaded = 0;
  for (const patient of patients) {
    if (known.has(`${patient.identity.lastName}|${patient.identity.firstName}`)) continue;
    const includedOn = dayOf(patient.includedDaysAgo);
    const consent = { givenOn: includedOn, teamSharing: true, partnerSharing: [] };
    const { includePatient } = await asMember<{ includePatient: { id: string } }>(deadline, tokens.GENERAL_PRACTITIONER, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { id } }', {
      input: { microstructureId: team.id, patient: patient.identity, includedOn, reasons: patient.reasons, treatingGpId: gpId, consent, initialSituation: patient.situation },
    });
    const inclusionId = includePatient.id;
    if (patient.inclusionAssessmentDaysAgo !== undefined) {
      const { housing, healthCoverage, daysOfUseLast30, income } = patient.situation;
      await asMember(deadline, tokens.GENERAL_PRACTITIONER, 'mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { id } }', {
        input: { inclusionId, timepoint: 'INCLUSION', assessedOn: dayOf(patient.inclusionAssessmentDaysAgo), daysOfUseLast30, qualityOfLifeScore: 45, housing, employment: income === 'EMPLOYMENT' ? 'EMPLOYED' : 'UNEMPLOYED', healthCoverage },
      });
    }
    for (const session of patient.sessions ?? []) {
      const { referToPartnerOfType, ...outcomes } = session.outcomes ?? {};
      const partner = team.partners.find((p) => p.type === referToPartnerOfType);
      await asMember(deadline, tokens[session.by], 'mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { id } }', {
        input: { inclusionId, kind: SESSION_KINDS[session.by], heldOn: dayOf(session.daysAgo), durationMinutes: 45, outcomes: { ...outcomes, ...(partner && { referrals: [{ partnerId: partner.id }] }) } },
      });
    }
    if (patient.carePlan) await asMember(deadline, tokens.PSYCHOLOGIST, 'mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { id } }', { input: { inclusionId, ...patient.carePlan } });
    if (patient.exit) {
      await asMember(deadline, tokens.GENERAL_PRACTITIONER, 'mutation($input: RecordExitInput!) { recordExit(input: $input) { id } }', { input: { inclusionId, exitedOn: dayOf(patient.exit.daysAgo), reason: patient.exit.reason } });
    }
    loaded++;
  }
  return loaded;
}

/** The names already in the team's caseload (every status), so that a second run adds nobody twice. */
async function caseloadNames(microstructureId: string, bearer: string, deadline: number): Promise<Set<string>> {
  const query = 'query($ms: ID!, $after: String) { caseload(microstructureId: $ms, filter: { status: ALL }, page: { first: 100, after: $after }) { pageInfo { hasNextPage endCursor } nodes { patient { identity { lastName firstName } } } } }';
  type Page = { caseload: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { identity: { lastName: string; firstName: string } | null } }[] } };
  const names = new Set<string>();
  let after: string | null = null;
  do {
    const page: Page = await asMember<Page>(deadline, bearer, query, { ms: microstructureId, after });
    for (const node of page.caseload.nodes) if (node.patient.identity) names.add(`${node.patient.identity.lastName}|${node.patient.identity.firstName}`);
    after = page.caseload.pageInfo.hasNextPage ? page.caseload.pageInfo.endCursor : null;
  } while (after);
  return names;
}

// ---- Demo trainings: two networks' trainings and a national day, published through the training service ----

const TRAININGS_WAIT_MS = Number(process.env.DEMO_TRAININGS_WAIT_MS ?? 60_000);

interface DemoTraining {
  network: string | null;
  kind?: 'NATIONAL_EVENT';
  title: string;
  theme: string;
  audience: string[];
  format: 'IN_PERSON' | 'REMOTE';
  inDays: number;
  session: { startTime: string; endTime: string; place?: string; capacity: number; hours?: number };
}

const demoTrainings: DemoTraining[] = [
  {
    network: 'Réseau démo Val-Fictif',
    title: 'Hépatite C : dépister et traiter en ville (démo)',
    theme: 'HEPATITIS_C',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'],
    format: 'IN_PERSON',
    inDays: 21,
    session: { startTime: '09:00', endTime: '12:30', place: 'Salle du réseau, 1 rue de l’Exemple, Villefictive', capacity: 15 },
  },
  {
    network: 'Réseau démo Côte-Imaginaire',
    title: 'Entretien motivationnel : premiers pas (démo)',
    theme: 'MOTIVATIONAL_INTERVIEWING',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST'],
    format: 'REMOTE',
    inDays: 35,
    session: { startTime: '14:00', endTime: '17:00', capacity: 12 },
  },
  {
    network: null,
    kind: 'NATIONAL_EVENT',
    title: 'Journée nationale des microstructures (démo)',
    theme: 'OTHER',
    audience: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER', 'PSYCHIATRIST', 'OTHER'],
    format: 'IN_PERSON',
    inDays: 60,
    session: { startTime: '09:30', endTime: '17:00', place: 'Auditorium fictif, Paris', capacity: 300, hours: 6 },
  },
];

/**
 * Publishes the demo trainings not yet in the catalogue (by title), then registers the Tilleuls team to
 * the Val-Fictif training. Each call waits (bounded) for the directory's networks and memberships to reach
 * the training service; when they do not in time, a log line says so and the platform starts anyway.
 */
async function loadTrainings() {
  const deadline = Date.now() + TRAININGS_WAIT_MS;
  const untilKnown = async <T>(query: string, variables: Record<string, unknown>, bearer = token): Promise<T | null> => {
    for (;;) {
      const body = await request<T>(query, variables, bearer);
      if (!body.errors?.length) return body.data as T;
      const codes = body.errors.map((e) => e.extensions?.code ?? 'ERROR');
      if (!codes.every((code) => ['NETWORK_NOT_FOUND', 'NOT_A_NETWORK_MEMBER', 'PROFESSIONAL_NOT_FOUND', 'SUBGRAPH_UNAVAILABLE'].includes(code)) || Date.now() > deadline) {
        console.log(`[demo] trainings: ${body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ')}: demo trainings not (all) loaded`);
        return null;
      }
      await sleep(250);
    }
  };
  const { networks } = await graphql<{ networks: { nodes: { id: string; name: string }[] } }>('{ networks(page: { first: 100 }) { nodes { id name } } }');
  const { trainings } = await graphql<{ trainings: { title: string }[] }>('{ trainings { title } }');
  const known = new Set(trainings.map((t) => t.title));
  const today = parisToday();
  let published = 0;
  for (const training of demoTrainings) {
    if (known.has(training.title)) continue;
    const networkId = training.network === null ? null : networks.nodes.find((n) => n.name === training.network)?.id;
    if (networkId === undefined) continue;
    const date = minusDays(today, -training.inDays);
    const input = {
      networkId,
      kind: training.kind ?? 'TRAINING',
      title: training.title,
      theme: training.theme,
      audience: training.audience,
      format: training.format,
      registrationClosesOn: minusDays(date, 7),
      sessions: [{ date, ...training.session }],
    };
    const answer = await untilKnown<{ publishTraining: { sessions: { id: string }[] } }>('mutation($input: PublishTrainingInput!) { publishTraining(input: $input) { sessions { id } } }', { input });
    if (!answer) return;
    published++;
    if (training.network === 'Réseau démo Val-Fictif') await registerTilleulsTeam(answer.publishTraining.sessions[0].id, untilKnown);
  }
  console.log(`[demo] ${published} fictional training(s) published, ${demoTrainings.length - published} already there`);
}

async function registerTilleulsTeam(sessionId: string, untilKnown: <T>(query: string, variables: Record<string, unknown>, bearer?: string) => Promise<T | null>) {
  const { microstructures } = await graphql<{ microstructures: { nodes: { id: string; name: string; networkId: string; members: { professionalId: string }[] }[] } }>(
    '{ microstructures(page: { first: 100 }) { nodes { id name networkId members { professionalId } } } }',
  );
  const team = microstructures.nodes.find((m) => m.name === CARE_TEAM_MICROSTRUCTURE);
  for (const member of team?.members ?? []) {
    const bearer = tokenOf({ userId: `demo:${member.professionalId}`, roles: ['professional'], networkIds: [team!.networkId], microstructureIds: [team!.id], professionalId: member.professionalId });
    if (!(await untilKnown('mutation($s: ID!) { registerForTraining(sessionId: $s) { id } }', { s: sessionId }, bearer))) return;
  }
}

main().catch((error: Error) => {
  console.error(`[demo] ${error.message}`);
  process.exit(1);
});
