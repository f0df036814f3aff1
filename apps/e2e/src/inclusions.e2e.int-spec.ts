import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * Inclusions end to end: the whole platform as `npm start` runs it, on a fresh database without demo
 * data. A coordinator builds two care teams in the directory; the directory's events reach the
 * inclusions service through the bus; then each professional follows a patient with a token of their
 * own, and every refusal is checked to leave the event store and the read models as they were.
 */

// ---- Dates, relative to the day the services consider "today" (Europe/Paris) ----

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysAgo = (days: number) => shift(today, -days);
const teamSince = daysAgo(400);

function ageBandAt(birthDate: string, on: string): string {
  const age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (on.slice(5) >= birthDate.slice(5) ? 0 : 1);
  const bands: [number, string][] = [[65, 'AGE_65_PLUS'], [55, 'AGE_55_64'], [45, 'AGE_45_54'], [35, 'AGE_35_44'], [25, 'AGE_25_34'], [18, 'AGE_18_24']];
  return bands.find(([lower]) => age >= lower)?.[1] ?? 'UNDER_18';
}

/** A NIR whose key matches its 13 characters (97 − number mod 97). Fictional. */
const nir = (body: string) => body + String(97 - Number(BigInt(body) % 97n)).padStart(2, '0');

// ---- Fictional patients ----

const ysaline = { lastName: 'Quatrevents', firstName: 'Ysaline', birthDate: '1987-04-12', sex: 'FEMALE', contact: '06 01 02 03 04, 3 impasse des Essais, Testville', socialSecurityNumber: nir('2870475056123') };
const theodric = { lastName: 'Aubépin-Sorel', firstName: 'Théodric', birthDate: '1999-11-30', sex: 'MALE' };
const oriane = { lastName: 'Marcheval', firstName: 'Oriane', birthDate: '1962-02-03', sex: 'FEMALE' };
const casimir = { lastName: 'Zinnober', firstName: 'Casimir', birthDate: '1975-07-07', sex: 'MALE' };

const situation = { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL', 'OPIOIDS'], daysOfUseLast30: 20 };

// ---- GraphQL ----

const INCLUSION = `id patientId microstructureId networkId status includedOn reasons treatingGpId includedBy reinclusion inclusionNumber ageBand
  consent { givenOn teamSharing partnerSharing }
  initialSituation { housing income healthCoverage mainSubstances daysOfUseLast30 }
  lastContactOn exit { exitedOn reason recordedBy } carePlan { goals nextSteps updatedOn updatedBy }
  sessions { id kind heldOn professionalId durationMinutes outcomes { screenings { disease status result } rights { right status } referrals { partnerId partnerType } } }
  assessments { timepoint assessedOn daysOfUseLast30 qualityOfLifeScore recordedBy }
  assessmentSchedule { timepoint dueOn status assessedOn }
  lostToFollowUp { suggested lastContactOn }
  timeline { occurredOn kind summary professionalId }`;
const SESSION = 'id inclusionId kind heldOn professionalId durationMinutes outcomes { screenings { disease status result } rights { right status } referrals { partnerId partnerType } }';
const SUMMARY = 'query($id: ID!) { microstructure(id: $id) { id name caseloadSummary { active exited dueAssessments overdueAssessments lostToFollowUpSuggested protected } } }';
const CASELOAD = `query($ms: ID!, $filter: CaseloadFilter, $page: PageInput) { caseload(microstructureId: $ms, filter: $filter, page: $page) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { patient { id sex birthYear erased identity { lastName firstName birthDate contact socialSecurityNumber } } inclusion { id status includedOn inclusionNumber reinclusion sessions { id } assessments { timepoint } } }
} }`;

const includePatient = `mutation($input: IncludePatientInput!) { includePatient(input: $input) { ${INCLUSION} } }`;
const recordSession = `mutation($input: RecordFollowUpSessionInput!) { recordFollowUpSession(input: $input) { ${SESSION} } }`;
const recordAssessment = `mutation($input: RecordAssessmentInput!) { recordAssessment(input: $input) { ${INCLUSION} } }`;
const recordExit = `mutation($input: RecordExitInput!) { recordExit(input: $input) { ${INCLUSION} } }`;
const updateCarePlan = `mutation($input: UpdateCarePlanInput!) { updateCarePlan(input: $input) { ${INCLUSION} } }`;

type InclusionView = {
  id: string; patientId: string; microstructureId: string; networkId: string; status: string; includedOn: string; reasons: string[]; treatingGpId: string; includedBy: string;
  reinclusion: boolean; inclusionNumber: number; ageBand: string; consent: unknown; initialSituation: unknown; lastContactOn: string | null;
  exit: { exitedOn: string; reason: string; recordedBy: string } | null; carePlan: { goals: string[]; nextSteps: string[]; updatedOn: string; updatedBy: string } | null;
  sessions: { id: string; kind: string; heldOn: string; professionalId: string }[]; assessments: { timepoint: string; assessedOn: string }[];
  assessmentSchedule: { timepoint: string; dueOn: string; status: string; assessedOn: string | null }[]; lostToFollowUp: { suggested: boolean };
  timeline: { occurredOn: string; kind: string; summary: string; professionalId: string | null }[];
};
type CaseloadView = { caseload: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { patient: { id: string; erased: boolean; identity: Record<string, string | null> | null; sex: string; birthYear: number }; inclusion: { id: string; status: string; inclusionNumber: number } }[] } };

describe('inclusions through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const funder: Identity = { userId: 'u-funder', roles: ['funder'], networkIds: [], microstructureIds: [] };
  const admin: Identity = { userId: 'u-admin', roles: ['admin'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let otherCoordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let socialWorker: Identity;
  let otherGp: Identity;

  let networkId: string;
  let team: string; // the microstructure followed through the scenario
  let otherTeam: string;
  let partnerId: string;
  let otherTeamPartnerId: string;

  // Set by the journey, used by the refusals.
  let ysalineFirst: InclusionView;
  let ysalineSecond: InclusionView;
  let theodricInclusion: InclusionView;
  let orianeInclusion: InclusionView;

  const professional = (id: string, microstructureIds: string[], name: string): Identity => ({ userId: `u-${name}`, displayName: name, roles: ['professional'], networkIds: [networkId], microstructureIds, professionalId: id });

  const newPatientInput = (patient: object, includedOn: string, gpId = gp.professionalId!, microstructureId = team) => ({
    microstructureId,
    patient,
    includedOn,
    reasons: ['ADDICTION', 'PRECARITY'],
    treatingGpId: gpId,
    consent: { givenOn: includedOn, teamSharing: true, partnerSharing: [] },
    initialSituation: situation,
  });

  /** Retries while the care team has not yet reached the inclusions service (FORBIDDEN / NOT_FOUND), at most 60 s. */
  async function onceTheTeamIsKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await attempt();
      if (!answer.errors?.length) return answer.data as T;
      // FORBIDDEN / NOT_FOUND by category; a rule violation (RULE_VIOLATION) by its code, e.g. MICROSTRUCTURE_NOT_OPEN.
      const category = ['FORBIDDEN', 'NOT_FOUND'].includes(String(answer.errors[0].extensions?.category)) ? String(answer.errors[0].extensions?.category) : String(answer.errors[0].extensions?.code);
      if (!['FORBIDDEN', 'NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN'].includes(category) || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const caseload = (who: Identity, filter?: object, page: object = { first: 100 }) => platform.data<CaseloadView>(who, CASELOAD, { ms: team, filter, page });
  const inclusion = async (id: string, who: Identity = gp) => (await platform.data<{ inclusion: InclusionView }>(who, `query($id: ID!) { inclusion(id: $id) { ${INCLUSION} } }`, { id })).inclusion;
  const summary = async (who: Identity, id = team) => (await platform.data<{ microstructure: { caseloadSummary: Record<string, number> } }>(who, SUMMARY, { id })).microstructure.caseloadSummary;

  /** What a refused command must not change: the service's event store and the caseload as the team sees it. */
  const footprint = async () => ({
    events: Number((await database.pool.query('select count(*) from inclusions.events')).rows[0].count),
    caseload: await caseload(gp, { status: 'ALL' }),
  });
  async function expectRefused(send: () => Promise<GraphQLAnswer<unknown>>, code: string) {
    const before = await footprint();
    const answer = await send();
    expect(codesOf(answer)).toEqual([code]);
    expect(await footprint()).toEqual(before);
    return answer;
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_inclusions');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 1200, demoData: false });

    const network = async (name: string, departments: string[]) =>
      (await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: { name, region: departments.includes('13') ? '93' : '11', departments } }))
        .createRegionalNetwork.id;
    networkId = await network('Réseau e2e des inclusions', ['75', '92']);
    const otherNetworkId = await network('Réseau e2e voisin', ['13']);
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };
    otherCoordinator = { userId: 'u-other-coordinator', roles: ['regional_coordinator'], networkIds: [otherNetworkId], microstructureIds: [] };

    // Everything about one microstructure travels in one ordered stream of the bus (key = microstructure id):
    // the partner, then the members with the GP last, so that an inclusion accepted from the GP means that
    // the whole team and the partner have reached the inclusions service.
    const careTeam = async (name: string, department: string, people: { firstName: string; lastName: string; profession: string }[], partner: { name: string; type: string }) => {
      const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId, name, department, practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '7 rue du Test', postalCode: `${department}010`, city: 'Testville' } } },
      });
      const { addPartner } = await platform.data<{ addPartner: { id: string } }>(coordinator, 'mutation($input: AddPartnerInput!) { addPartner(input: $input) { id } }', { input: { microstructureId: createMicrostructure.id, ...partner } });
      const ids: string[] = [];
      for (const person of people) {
        const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
        await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: teamSince } });
        ids.push(registerProfessional.id);
      }
      await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: createMicrostructure.id, on: teamSince });
      return { id: createMicrostructure.id, partnerId: addPartner.id, ids };
    };
    const first = await careTeam('Microstructure e2e de la Butte', '75', [
      { firstName: 'Pauline', lastName: 'Psy-Essai', profession: 'PSYCHOLOGIST' },
      { firstName: 'Soline', lastName: 'Social-Essai', profession: 'SOCIAL_WORKER' },
      { firstName: 'Gaspard', lastName: 'Médecin-Essai', profession: 'GENERAL_PRACTITIONER' },
    ], { name: 'CSAPA e2e de la Butte', type: 'CSAPA' });
    const second = await careTeam('Microstructure e2e du Val', '92', [{ firstName: 'Victor', lastName: 'Autre-Médecin', profession: 'GENERAL_PRACTITIONER' }], { name: 'CAARUD e2e du Val', type: 'CAARUD' });
    team = first.id;
    partnerId = first.partnerId;
    otherTeam = second.id;
    otherTeamPartnerId = second.partnerId;
    psychologist = professional(first.ids[0], [team], 'psychologist');
    socialWorker = professional(first.ids[1], [team], 'social-worker');
    gp = professional(first.ids[2], [team], 'gp');
    otherGp = professional(second.ids[0], [otherTeam], 'other-gp');
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  describe('the patient journey', () => {
    it('lets the GP include a new patient with consent and initial situation, once the care team has reached the inclusions service', async () => {
      const input = { ...newPatientInput(ysaline, daysAgo(60)), consent: { givenOn: daysAgo(61), teamSharing: true, partnerSharing: [partnerId] } };
      ysalineFirst = (await onceTheTeamIsKnown(() => platform.query<{ includePatient: InclusionView }>(gp, includePatient, { input }))).includePatient;
      expect(ysalineFirst).toMatchObject({
        microstructureId: team,
        networkId,
        status: 'OPEN',
        includedOn: daysAgo(60),
        reasons: ['ADDICTION', 'PRECARITY'],
        treatingGpId: gp.professionalId,
        includedBy: gp.professionalId,
        reinclusion: false,
        inclusionNumber: 1,
        ageBand: ageBandAt(ysaline.birthDate, daysAgo(60)),
        consent: { givenOn: daysAgo(61), teamSharing: true, partnerSharing: [partnerId] },
        initialSituation: situation,
        exit: null,
        carePlan: null,
        sessions: [],
      });

      theodricInclusion = (await platform.data<{ includePatient: InclusionView }>(gp, includePatient, { input: newPatientInput(theodric, daysAgo(5)) })).includePatient;
      orianeInclusion = (await platform.data<{ includePatient: InclusionView }>(gp, includePatient, { input: { ...newPatientInput(oriane, daysAgo(100)), reasons: ['MENTAL_HEALTH'] } })).includePatient;
      await onceTheTeamIsKnown(() => platform.query(otherGp, includePatient, { input: newPatientInput(casimir, daysAgo(30), otherGp.professionalId, otherTeam) }));
    }, 90_000);

    it('lets each professional record a session of their own profession, with screenings, rights and referrals', async () => {
      const psy = await platform.data<{ recordFollowUpSession: Record<string, unknown> }>(psychologist, recordSession, {
        input: { inclusionId: ysalineFirst.id, kind: 'PSYCHOLOGIST_SESSION', heldOn: daysAgo(50), durationMinutes: 45, outcomes: { screenings: [{ disease: 'HCV', status: 'PROPOSED' }], referrals: [{ partnerId }] } },
      });
      expect(psy.recordFollowUpSession).toMatchObject({
        inclusionId: ysalineFirst.id,
        kind: 'PSYCHOLOGIST_SESSION',
        heldOn: daysAgo(50),
        professionalId: psychologist.professionalId,
        durationMinutes: 45,
        outcomes: { screenings: [{ disease: 'HCV', status: 'PROPOSED', result: null }], rights: [], referrals: [{ partnerId, partnerType: 'CSAPA' }] },
      });
      const social = await platform.data<{ recordFollowUpSession: Record<string, unknown> }>(socialWorker, recordSession, {
        input: { inclusionId: ysalineFirst.id, kind: 'SOCIAL_WORK_INTERVIEW', heldOn: daysAgo(45), durationMinutes: 60, outcomes: { rights: [{ right: 'CSS', status: 'APPLIED' }, { right: 'HOUSING', status: 'APPLIED' }] } },
      });
      expect(social.recordFollowUpSession).toMatchObject({ kind: 'SOCIAL_WORK_INTERVIEW', professionalId: socialWorker.professionalId, outcomes: { screenings: [], rights: [{ right: 'CSS', status: 'APPLIED' }, { right: 'HOUSING', status: 'APPLIED' }], referrals: [] } });
      const consultation = await platform.data<{ recordFollowUpSession: Record<string, unknown> }>(gp, recordSession, {
        input: { inclusionId: ysalineFirst.id, kind: 'GP_CONSULTATION', heldOn: daysAgo(40), durationMinutes: 20, outcomes: { screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }, { disease: 'HIV', status: 'DONE', result: 'NEGATIVE' }] } },
      });
      expect(consultation.recordFollowUpSession).toMatchObject({ kind: 'GP_CONSULTATION', outcomes: { screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }, { disease: 'HIV', status: 'DONE', result: 'NEGATIVE' }] } });

      const read = await inclusion(ysalineFirst.id, socialWorker);
      expect(read.sessions.map((s) => [s.kind, s.heldOn, s.professionalId])).toEqual([
        ['PSYCHOLOGIST_SESSION', daysAgo(50), psychologist.professionalId],
        ['SOCIAL_WORK_INTERVIEW', daysAgo(45), socialWorker.professionalId],
        ['GP_CONSULTATION', daysAgo(40), gp.professionalId],
      ]);
      expect(read.lastContactOn).toBe(daysAgo(40));
    });

    it('records the INCLUSION assessment and schedules the next ones', async () => {
      const { recordAssessment: assessed } = await platform.data<{ recordAssessment: InclusionView }>(gp, recordAssessment, {
        input: { inclusionId: ysalineFirst.id, timepoint: 'INCLUSION', assessedOn: daysAgo(55), daysOfUseLast30: 20, qualityOfLifeScore: 41, housing: 'PRECARIOUS', employment: 'UNEMPLOYED', healthCoverage: 'CSS' },
      });
      expect(assessed.assessments).toEqual([{ timepoint: 'INCLUSION', assessedOn: daysAgo(55), daysOfUseLast30: 20, qualityOfLifeScore: 41, recordedBy: gp.professionalId }]);
      expect(assessed.assessmentSchedule.map((a) => [a.timepoint, a.status])).toEqual([['INCLUSION', 'DONE'], ['M6', 'UPCOMING'], ['M12', 'UPCOMING']]);
      expect(assessed.assessmentSchedule[0].assessedOn).toBe(daysAgo(55));
    });

    it('lets a team member write the care plan', async () => {
      const { updateCarePlan: updated } = await platform.data<{ updateCarePlan: InclusionView }>(psychologist, updateCarePlan, {
        input: { inclusionId: ysalineFirst.id, goals: ['Réduire la consommation d’alcool', 'Traiter l’hépatite C'], nextSteps: ['Rendez-vous au CSAPA'] },
      });
      expect(updated.carePlan).toEqual({ goals: ['Réduire la consommation d’alcool', 'Traiter l’hépatite C'], nextSteps: ['Rendez-vous au CSAPA'], updatedOn: today, updatedBy: psychologist.professionalId });
    });

    it('lists the caseload of the team with the decrypted identities, sorted by last name, and pages through it', async () => {
      const listed = await eventually(() => caseload(socialWorker), (c) => c.caseload.totalCount === 3);
      expect(listed.caseload.nodes.map((n) => n.patient.identity?.lastName)).toEqual(['Aubépin-Sorel', 'Marcheval', 'Quatrevents']);
      const row = listed.caseload.nodes[2];
      expect(row.patient).toEqual({ id: ysalineFirst.patientId, sex: 'FEMALE', birthYear: 1987, erased: false, identity: { lastName: 'Quatrevents', firstName: 'Ysaline', birthDate: '1987-04-12', contact: ysaline.contact, socialSecurityNumber: ysaline.socialSecurityNumber } });
      expect(row.inclusion).toMatchObject({ id: ysalineFirst.id, status: 'OPEN', inclusionNumber: 1 });
      expect(listed.caseload.nodes[0].patient.identity).toEqual({ lastName: 'Aubépin-Sorel', firstName: 'Théodric', birthDate: '1999-11-30', contact: null, socialSecurityNumber: null });

      const firstPage = await caseload(gp, undefined, { first: 2 });
      expect(firstPage.caseload.pageInfo.hasNextPage).toBe(true);
      const secondPage = await caseload(gp, undefined, { first: 2, after: firstPage.caseload.pageInfo.endCursor });
      expect([...firstPage.caseload.nodes, ...secondPage.caseload.nodes].map((n) => n.patient.id)).toEqual(listed.caseload.nodes.map((n) => n.patient.id));
      expect(secondPage.caseload.pageInfo.hasNextPage).toBe(false);

      // The other microstructure's patient is not in this team's caseload, and the reverse.
      const other = await platform.data<CaseloadView>(otherGp, CASELOAD, { ms: otherTeam });
      expect(other.caseload.nodes.map((n) => n.patient.identity?.lastName)).toEqual(['Zinnober']);
    });

    it('counts the caseload for the team; the coordinations get no count below the confidentiality threshold (zero included)', async () => {
      // Théodric's INCLUSION assessment is due (included 5 days ago), Oriane's is overdue (100 days ago).
      const expected = { active: 3, exited: 0, dueAssessments: 1, overdueAssessments: 1, lostToFollowUpSuggested: 0, protected: false };
      for (const who of [gp, psychologist]) expect(await summary(who)).toEqual(expected);
      // Outside the team, as reporting's indicators (docs/disclosure-control.md): the 3 patients and the zeros alike are not given.
      const hidden = { active: null, exited: null, dueAssessments: null, overdueAssessments: null, lostToFollowUpSuggested: null, protected: true };
      for (const who of [coordinator, national, admin]) expect(await summary(who)).toEqual(hidden);
      // Casimir, included 30 days ago: his INCLUSION assessment is due.
      expect(await summary(otherGp, otherTeam)).toEqual({ active: 1, exited: 0, dueAssessments: 1, overdueAssessments: 0, lostToFollowUpSuggested: 0, protected: false });
    });

    it('records the exit; the patient leaves the active caseload and the timeline shows every step in order', async () => {
      const { recordExit: exited } = await platform.data<{ recordExit: InclusionView }>(socialWorker, recordExit, { input: { inclusionId: ysalineFirst.id, exitedOn: today, reason: 'GOALS_REACHED' } });
      expect(exited.status).toBe('EXITED');
      expect(exited.exit).toEqual({ exitedOn: today, reason: 'GOALS_REACHED', recordedBy: socialWorker.professionalId });
      expect(exited.assessmentSchedule.map((a) => [a.timepoint, a.status])).toEqual([['INCLUSION', 'DONE'], ['M6', 'NOT_APPLICABLE'], ['M12', 'NOT_APPLICABLE']]);

      const { timeline } = await inclusion(ysalineFirst.id, psychologist);
      expect(timeline.map((entry) => [entry.occurredOn, entry.kind, entry.professionalId])).toEqual([
        [daysAgo(60), 'INCLUSION', gp.professionalId],
        [daysAgo(55), 'ASSESSMENT', gp.professionalId],
        [daysAgo(50), 'SESSION', psychologist.professionalId],
        [daysAgo(45), 'SESSION', socialWorker.professionalId],
        [daysAgo(40), 'SESSION', gp.professionalId],
        [today, 'CARE_PLAN', psychologist.professionalId],
        [today, 'EXIT', socialWorker.professionalId],
      ]);
      for (const entry of timeline) expect(entry.summary.length).toBeGreaterThan(0);

      expect((await caseload(gp)).caseload.nodes.map((n) => n.patient.identity?.lastName)).toEqual(['Aubépin-Sorel', 'Marcheval']);
      expect((await caseload(gp, { status: 'EXITED' })).caseload.nodes.map((n) => [n.patient.identity?.lastName, n.inclusion.status])).toEqual([['Quatrevents', 'EXITED']]);
      expect((await caseload(gp, { status: 'ALL' })).caseload.totalCount).toBe(3);
      expect(await summary(gp)).toEqual({ active: 2, exited: 1, dueAssessments: 1, overdueAssessments: 1, lostToFollowUpSuggested: 0, protected: false });
    });

    it('re-includes the patient who left, counted as a re-inclusion', async () => {
      const input = { microstructureId: team, patientId: ysalineFirst.patientId, includedOn: today, reasons: ['ADDICTION'], treatingGpId: gp.professionalId, consent: { givenOn: today, teamSharing: true }, initialSituation: { ...situation, daysOfUseLast30: 25 } };
      ysalineSecond = (await platform.data<{ includePatient: InclusionView }>(gp, includePatient, { input })).includePatient;
      expect(ysalineSecond).toMatchObject({ patientId: ysalineFirst.patientId, status: 'OPEN', includedOn: today, reinclusion: true, inclusionNumber: 2, sessions: [], ageBand: ageBandAt(ysaline.birthDate, today) });
      expect(ysalineSecond.id).not.toBe(ysalineFirst.id);

      const active = await caseload(gp);
      expect(active.caseload.nodes.map((n) => [n.patient.identity?.lastName, n.inclusion.inclusionNumber])).toEqual([['Aubépin-Sorel', 1], ['Marcheval', 1], ['Quatrevents', 2]]);
      // The new inclusion's INCLUSION assessment is due today.
      expect(await summary(gp)).toMatchObject({ active: 3, dueAssessments: 2, overdueAssessments: 1 });
    });

    it('shows a patient with both inclusions', async () => {
      const { patient } = await platform.data<{ patient: { id: string; erased: boolean; identity: { lastName: string } | null; inclusions: { id: string; status: string; inclusionNumber: number; reinclusion: boolean }[] } }>(
        psychologist,
        'query($id: ID!) { patient(id: $id) { id erased identity { lastName } inclusions { id status inclusionNumber reinclusion } } }',
        { id: ysalineFirst.patientId },
      );
      expect(patient.identity?.lastName).toBe('Quatrevents');
      expect(patient.inclusions).toEqual([
        { id: ysalineFirst.id, status: 'EXITED', inclusionNumber: 1, reinclusion: false },
        { id: ysalineSecond.id, status: 'OPEN', inclusionNumber: 2, reinclusion: true },
      ]);
    });
  });

  describe('refusals, which write nothing', () => {
    it('refuses an inclusion without the patient’s consent to sharing within the team', async () => {
      const { consent: _none, ...withoutConsent } = newPatientInput({ ...casimir, lastName: 'Sans-Consentement' }, daysAgo(3));
      await expectRefused(() => platform.query(gp, includePatient, { input: withoutConsent }), 'CONSENT_REQUIRED');
      const refusedSharing = { ...newPatientInput({ ...casimir, lastName: 'Sans-Partage' }, daysAgo(3)), consent: { givenOn: daysAgo(3), teamSharing: false } };
      await expectRefused(() => platform.query(gp, includePatient, { input: refusedSharing }), 'CONSENT_REQUIRED');
    });

    it('refuses a social security number whose key does not match', async () => {
      const good = nir('1750775056042');
      const badKey = good.slice(0, 13) + String((Number(good.slice(13)) % 97) + 1).padStart(2, '0');
      const answer = await expectRefused(() => platform.query(gp, includePatient, { input: newPatientInput({ ...casimir, lastName: 'Clé-Fausse', socialSecurityNumber: badKey }, daysAgo(3)) }), 'INVALID_SSN');
      expect(answer.errors![0].message).not.toContain(badKey);
      await expectRefused(() => platform.query(gp, includePatient, { input: newPatientInput({ ...casimir, lastName: 'Trop-Court', socialSecurityNumber: '17507750' }, daysAgo(3)) }), 'INVALID_SSN');
    });

    it('refuses dates in the future', async () => {
      const tomorrow = shift(today, 1);
      await expectRefused(() => platform.query(gp, includePatient, { input: newPatientInput({ ...casimir, lastName: 'Futur' }, tomorrow) }), 'DATE_IN_FUTURE');
      await expectRefused(() => platform.query(psychologist, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'PSYCHOLOGIST_SESSION', heldOn: tomorrow, durationMinutes: 30 } }), 'DATE_IN_FUTURE');
      const assessment = { inclusionId: theodricInclusion.id, timepoint: 'INCLUSION', assessedOn: tomorrow, daysOfUseLast30: 3, qualityOfLifeScore: 60, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL' };
      await expectRefused(() => platform.query(gp, recordAssessment, { input: assessment }), 'DATE_IN_FUTURE');
      await expectRefused(() => platform.query(gp, recordExit, { input: { inclusionId: theodricInclusion.id, exitedOn: tomorrow, reason: 'MOVED' } }), 'DATE_IN_FUTURE');
    });

    it('refuses a session dated before the inclusion', async () => {
      await expectRefused(
        () => platform.query(socialWorker, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'SOCIAL_WORK_INTERVIEW', heldOn: daysAgo(6), durationMinutes: 30 } }),
        'SESSION_BEFORE_INCLUSION',
      );
    });

    it('refuses an inclusion by a GP of another microstructure', async () => {
      // The intruder names the team's GP as treating GP: only who acts is wrong.
      const input = newPatientInput({ ...casimir, lastName: 'Intrus' }, daysAgo(2));
      // A token without this microstructure, and one that claims it without the membership behind it.
      await expectRefused(() => platform.query(otherGp, includePatient, { input }), 'FORBIDDEN');
      // Authorised before anything about the team is checked (the security matrix): the same refusal as above.
      await expectRefused(() => platform.query({ ...otherGp, microstructureIds: [otherTeam, team] }, includePatient, { input }), 'FORBIDDEN');
    });

    it('refuses an inclusion by a psychologist of the team', async () => {
      await expectRefused(() => platform.query(psychologist, includePatient, { input: newPatientInput({ ...casimir, lastName: 'Par-Psy' }, daysAgo(2)) }), 'NOT_A_MEMBER_GP');
    });

    it('refuses a session of another profession than the professional’s own', async () => {
      await expectRefused(() => platform.query(psychologist, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'GP_CONSULTATION', heldOn: today, durationMinutes: 15 } }), 'SESSION_KIND_NOT_ALLOWED');
      await expectRefused(() => platform.query(socialWorker, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'PSYCHOLOGIST_SESSION', heldOn: today, durationMinutes: 15 } }), 'SESSION_KIND_NOT_ALLOWED');
    });

    it('refuses a session recorded by someone outside the team', async () => {
      const input = { inclusionId: theodricInclusion.id, kind: 'GP_CONSULTATION', heldOn: today, durationMinutes: 15 };
      await expectRefused(() => platform.query(otherGp, recordSession, { input }), 'FORBIDDEN');
      await expectRefused(() => platform.query({ ...otherGp, microstructureIds: [otherTeam, team] }, recordSession, { input }), 'NOT_A_MEMBER');
    });

    it('refuses a second open inclusion of the same patient', async () => {
      const input = { microstructureId: team, patientId: ysalineFirst.patientId, includedOn: today, reasons: ['ADDICTION'], treatingGpId: gp.professionalId, consent: { givenOn: today, teamSharing: true }, initialSituation: situation };
      const answer = await expectRefused(() => platform.query(gp, includePatient, { input }), 'INCLUSION_ALREADY_OPEN');
      expect(answer.errors![0].extensions?.category).toBe('CONFLICT');
    });

    it('refuses a referral to a partner of another microstructure', async () => {
      const answer = await expectRefused(
        () => platform.query(psychologist, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'PSYCHOLOGIST_SESSION', heldOn: today, durationMinutes: 30, outcomes: { referrals: [{ partnerId: otherTeamPartnerId }] } } }),
        'UNKNOWN_PARTNER',
      );
      expect(answer.errors![0].extensions?.category).toBe('BAD_USER_INPUT');
    });

    it('refuses unknown codes', async () => {
      // An enumeration written in the query fails GraphQL validation at the gateway; one in the variables fails their coercion.
      const inline = `mutation { includePatient(input: { microstructureId: "${team}", patient: { lastName: "Code", firstName: "Inconnu", birthDate: "1990-01-01", sex: FEMALE }, includedOn: "${today}", reasons: [GAMBLING], treatingGpId: "${gp.professionalId}", consent: { givenOn: "${today}", teamSharing: true }, initialSituation: { housing: STABLE, income: EMPLOYMENT, healthCoverage: FULL, daysOfUseLast30: 0 } }) { id } }`;
      await expectRefused(() => platform.query(gp, inline), 'GRAPHQL_VALIDATION_FAILED');
      await expectRefused(() => platform.query(gp, includePatient, { input: { ...newPatientInput({ ...casimir, sex: 'ROBOT' }, today) } }), 'BAD_USER_INPUT');
      await expectRefused(() => platform.query(psychologist, recordSession, { input: { inclusionId: theodricInclusion.id, kind: 'YOGA_SESSION', heldOn: today, durationMinutes: 30 } }), 'BAD_USER_INPUT');
      await expectRefused(() => platform.query(gp, recordExit, { input: { inclusionId: theodricInclusion.id, exitedOn: today, reason: 'BORED' } }), 'BAD_USER_INPUT');
      // The timepoint is a string (programmes configure their own): the domain refuses an unknown one.
      const assessment = { inclusionId: theodricInclusion.id, timepoint: 'M7', assessedOn: today, daysOfUseLast30: 3, qualityOfLifeScore: 60, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL' };
      await expectRefused(() => platform.query(gp, recordAssessment, { input: assessment }), 'INVALID_CODE');
    });

    it('keeps an audit trail of every identity read (who, when, which patient, why) that the team reads and no one else', async () => {
      const IDENTITY_READS = 'query($ms: ID!, $patient: ID) { identityReads(microstructureId: $ms, patientId: $patient, page: { first: 100 }) { totalCount nodes { patientId readerProfessionalId readerUserId purpose readAt correlationId } } }';
      type Reads = { identityReads: { totalCount: number; nodes: { patientId: string; readerProfessionalId: string; readerUserId: string; purpose: string; readAt: string; correlationId: string }[] } };
      const before = (await platform.data<Reads>(gp, IDENTITY_READS, { ms: team, patient: ysalineFirst.patientId })).identityReads;
      await platform.data(socialWorker, 'query($id: ID!) { patient(id: $id) { identity { lastName } } }', { id: ysalineFirst.patientId });
      const after = (await platform.data<Reads>(psychologist, IDENTITY_READS, { ms: team, patient: ysalineFirst.patientId })).identityReads;
      expect(after.totalCount).toBe(before.totalCount + 1);
      expect(after.nodes[0]).toMatchObject({ patientId: ysalineFirst.patientId, readerProfessionalId: socialWorker.professionalId, readerUserId: socialWorker.userId, purpose: 'PATIENT_RECORD' });
      expect(Date.now() - Date.parse(after.nodes[0].readAt)).toBeLessThan(60_000);
      // The earlier reads: the psychologist's patient record, and the caseload listings of the GP.
      expect(after.nodes.map((n) => [n.readerProfessionalId, n.purpose])).toEqual(expect.arrayContaining([[psychologist.professionalId, 'PATIENT_RECORD'], [gp.professionalId, 'CASELOAD']]));
      // A listing writes one line per patient shown, in one request.
      const all = (await platform.data<Reads>(gp, IDENTITY_READS, { ms: team })).identityReads;
      await caseload(gp, { status: 'ALL' });
      const listed = (await platform.data<Reads>(gp, IDENTITY_READS, { ms: team })).identityReads;
      expect(listed.totalCount).toBe(all.totalCount + 4);
      expect(new Set(listed.nodes.slice(0, 4).map((n) => n.correlationId)).size).toBe(1);
      for (const who of [coordinator, national, funder, otherGp]) expect(codesOf(await platform.query(who, IDENTITY_READS, { ms: team }))).toEqual(['FORBIDDEN']);
    });

    it('still holds exactly what the journey recorded', async () => {
      expect((await inclusion(theodricInclusion.id)).sessions).toEqual([]);
      expect((await inclusion(orianeInclusion.id)).status).toBe('OPEN');
      // Théodric, Oriane, and Ysaline's two inclusions.
      expect((await caseload(gp, { status: 'ALL' })).caseload.totalCount).toBe(4);
    });
  });

  describe('who may read what', () => {
    const patientData = () => [
      { name: 'caseload', query: CASELOAD, variables: { ms: team } },
      { name: 'patient', query: 'query($id: ID!) { patient(id: $id) { id identity { lastName } } }', variables: { id: ysalineFirst.patientId } },
      { name: 'inclusion', query: 'query($id: ID!) { inclusion(id: $id) { id status sessions { kind } } }', variables: { id: ysalineFirst.id } },
    ];

    /** Each caller and query with the codes answered; any data of the patient counts as a leak. */
    const attempts = async (callers: Identity[]) => {
      const answers: [string, string, (string | undefined)[], boolean][] = [];
      for (const who of callers) {
        for (const { name, query, variables } of patientData()) {
          const answer = await platform.query(who, query, variables);
          answers.push([who.userId, name, codesOf(answer), JSON.stringify(answer).includes('Quatrevents')]);
        }
      }
      return answers;
    };
    const allRefused = (callers: Identity[]) => callers.flatMap((who) => patientData().map(({ name }) => [who.userId, name, ['FORBIDDEN'], false]));

    it('refuses patient data to coordinators, the national level, funders and administrators', async () => {
      const callers = [coordinator, national, funder, admin];
      expect(await attempts(callers)).toEqual(allRefused(callers));
    });

    it('answers a made-up id exactly as a real one the caller may not read: same code, same message (no existence leak)', async () => {
      for (const { name, query, variables } of patientData().filter(({ name }) => name !== 'caseload')) {
        const real = await platform.query(otherGp, query, variables);
        const madeUp = await platform.query(otherGp, query, { id: '3b241101-e2bb-4255-8caf-4136c566a962' });
        const shape = (answer: typeof real) => (answer.errors ?? []).map((e) => [e.extensions?.code, e.message]);
        expect([name, shape(madeUp)]).toEqual([name, shape(real)]);
        expect(shape(real)).toEqual([['FORBIDDEN', expect.stringContaining('membres actuels de l’équipe')]]);
        // The team itself gets the same refusal for an id that does not exist.
        expect(shape(await platform.query(gp, query, { id: '3b241101-e2bb-4255-8caf-4136c566a962' }))).toEqual(shape(real));
      }
    });

    it('refuses patient data to a professional outside the team, even with the microstructure in their token', async () => {
      const claiming = { ...otherGp, userId: 'u-other-gp-claiming-the-team', microstructureIds: [otherTeam, team] };
      const callers = [otherGp, claiming, { ...gp, userId: 'u-gp-without-the-team', microstructureIds: [] }];
      expect(await attempts(callers)).toEqual(allRefused(callers));
      expect(codesOf(await platform.query(null, CASELOAD, { ms: team }))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses the caseload summary to funders, other networks’ coordinators and other teams, and gives it to the network’s coordinator', async () => {
      // Funders do not reach the directory at all (aggregated indicators only).
      expect(codesOf(await platform.query(funder, SUMMARY, { id: team }))).toEqual(['FORBIDDEN']);
      for (const who of [otherCoordinator, otherGp]) {
        const answer = await platform.query(who, SUMMARY, { id: team });
        expect([who.userId, codesOf(answer)]).toEqual([who.userId, ['FORBIDDEN']]);
        expect(answer.errors![0]).toMatchObject({ path: ['microstructure', 'caseloadSummary'] });
      }
      // `exited` after a re-inclusion is left to the service's definition (inclusions or patients): the journey checked it before.
      expect(await summary(coordinator)).toMatchObject({ active: null, dueAssessments: null, protected: true });
    });
  });
});
