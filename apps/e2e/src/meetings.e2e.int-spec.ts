import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { codesOf, eventually, GraphQLAnswer, Platform } from './platform';

/**
 * Case-review meetings end to end: the whole platform on a fresh database without demo data. A
 * coordinator builds two care teams in the directory, the GP includes two patients through the
 * inclusions service, and both services' events reach the meetings service through the bus. The team
 * then prepares, holds and cancels meetings; every refusal is checked to leave the meetings service's
 * event store, read models and key table as they were; each role sees only what it may.
 */

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysAgo = (days: number) => shift(today, -days);
const teamSince = daysAgo(400);
const monthOf = (date: string) => date.slice(0, 7);

const situation = { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'CSS', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 20 };
const SUMMARY_YSALINE = 'Rupture d’hébergement ; reprise de contact avec le CSAPA envisagée.';
const SUMMARY_THEODRIC = 'Situation stable, bonne adhésion au suivi psychologique.';

const MEETING = 'id microstructureId networkId status scheduledOn format place expectedAttendeeIds heldOn durationMinutes attendeeIds reviewedCount cancelledOn cancellationReason';
const REVIEW = 'meetingId patientId heldOn decisions nextReviewOn summary summaryErased';
const schedule = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ${MEETING} } }`;
const hold = `mutation($input: HoldMeetingInput!) { holdMeeting(input: $input) { ${MEETING} reviews { ${REVIEW} } } }`;
const cancel = `mutation($id: ID!, $reason: String!) { cancelMeeting(meetingId: $id, reason: $reason) { ${MEETING} } }`;
const MEETINGS = `query($ms: ID!, $from: String!, $to: String!) { meetings(microstructureId: $ms, from: $from, to: $to) { ${MEETING} } }`;
const HISTORY = `query($id: ID!) { patientReviewHistory(patientId: $id) { ${REVIEW} } }`;
const SUGGESTIONS = 'query($ms: ID!) { reviewSuggestions(microstructureId: $ms) { patientId reasons includedOn lastReviewedOn overdueTimepoints } }';
const recordNetworkMeeting = 'mutation($input: RecordNetworkMeetingInput!) { recordNetworkMeeting(input: $input) { id networkId heldOn topics note format durationMinutes attendees { professionalId microstructureId } microstructureIds } }';

type MeetingView = { id: string; status: string; heldOn: string | null; attendeeIds: string[]; reviewedCount: number; cancellationReason: string | null; reviews?: ReviewView[] };
type ReviewView = { meetingId: string; patientId: string; decisions: string[]; nextReviewOn: string; summary: string | null; summaryErased: boolean };
type Suggestion = { patientId: string; reasons: string[] };

describe('meetings through the gateway', () => {
  let database: TestDatabase;
  let platform: Platform;

  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };
  const funder: Identity = { userId: 'u-funder', roles: ['funder'], networkIds: [], microstructureIds: [] };
  let coordinator: Identity;
  let otherCoordinator: Identity;
  let gp: Identity;
  let psychologist: Identity;
  let socialWorker: Identity;
  let otherGp: Identity;

  let networkId: string;
  let team: string;
  let otherTeam: string;
  const patients: Record<'ysaline' | 'theodric' | 'casimir', string> = { ysaline: '', theodric: '', casimir: '' };
  let meetingId: string;

  const professional = (id: string, microstructureIds: string[], name: string): Identity => ({ userId: `u-${name}`, displayName: name, roles: ['professional'], networkIds: [networkId], microstructureIds, professionalId: id });

  /** Retries while the directory's events have not yet reached a service (FORBIDDEN / NOT_FOUND), at most 60 s. */
  async function onceKnown<T>(attempt: () => Promise<GraphQLAnswer<T>>): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await attempt();
      if (!answer.errors?.length) return answer.data as T;
      // FORBIDDEN / NOT_FOUND by category; a rule violation (RULE_VIOLATION) by its code, e.g. MICROSTRUCTURE_NOT_OPEN.
      const category = ['FORBIDDEN', 'NOT_FOUND'].includes(String(answer.errors[0].extensions?.category)) ? String(answer.errors[0].extensions?.category) : String(answer.errors[0].extensions?.code);
      if (!['FORBIDDEN', 'NOT_FOUND', 'MICROSTRUCTURE_NOT_FOUND', 'MICROSTRUCTURE_NOT_OPEN'].includes(category) || Date.now() > deadline) throw new Error(`refused: ${JSON.stringify(answer.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const include = async (who: Identity, microstructureId: string, patient: object, includedOn: string) => {
    const input = { microstructureId, patient, includedOn, reasons: ['ADDICTION'], treatingGpId: who.professionalId, consent: { givenOn: includedOn, teamSharing: true, partnerSharing: [] }, initialSituation: situation };
    const data = await onceKnown(() => platform.query<{ includePatient: { patientId: string } }>(who, 'mutation($input: IncludePatientInput!) { includePatient(input: $input) { patientId } }', { input }));
    return data.includePatient.patientId;
  };
  const suggestions = async (who: Identity = gp) => (await platform.data<{ reviewSuggestions: Suggestion[] }>(who, SUGGESTIONS, { ms: team })).reviewSuggestions;
  const meetings = async (who: Identity, from = daysAgo(400), to = shift(today, 60)) => (await platform.data<{ meetings: MeetingView[] }>(who, MEETINGS, { ms: team, from, to })).meetings;
  const history = async (patientId: string, who: Identity = gp) => (await platform.data<{ patientReviewHistory: ReviewView[] }>(who, HISTORY, { id: patientId })).patientReviewHistory;

  /** What a refused command must not change: the service's events, its meetings as the team sees them, and its key table. */
  const footprint = async () => ({
    events: Number((await database.pool.query('select count(*) from meetings.events')).rows[0].count),
    keys: Number((await database.pool.query('select count(*) from meetings.patient_keys')).rows[0].count),
    meetings: await meetings(gp),
  });
  async function expectRefused(send: () => Promise<GraphQLAnswer<unknown>>, codes: string[]) {
    const before = await footprint();
    const answer = await send();
    expect(codes).toContain(codesOf(answer)[0]);
    expect(answer.errors?.[0].message).toEqual(expect.any(String));
    expect(await footprint()).toEqual(before);
    return answer;
  }

  beforeAll(async () => {
    database = await createTestDatabase('e2e_meetings');
    platform = await Platform.start({ databaseUrl: database.url, portOffset: 3000, demoData: false });

    const network = async (name: string) =>
      (await platform.data<{ createRegionalNetwork: { id: string } }>(national, 'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }', { input: { name, region: '44', departments: ['67'] } }))
        .createRegionalNetwork.id;
    networkId = await network('Réseau e2e des réunions');
    const otherNetworkId = await network('Réseau e2e voisin des réunions');
    coordinator = { userId: 'u-coordinator', roles: ['regional_coordinator'], networkIds: [networkId], microstructureIds: [] };
    otherCoordinator = { userId: 'u-other-coordinator', roles: ['regional_coordinator'], networkIds: [otherNetworkId], microstructureIds: [] };

    const careTeam = async (name: string, people: { firstName: string; lastName: string; profession: string }[]) => {
      const { createMicrostructure } = await platform.data<{ createMicrostructure: { id: string } }>(coordinator, 'mutation($input: CreateMicrostructureInput!) { createMicrostructure(input: $input) { id } }', {
        input: { networkId, name, department: '67', practiceSite: { name: `Cabinet ${name}`, type: 'GROUP_PRACTICE', address: { street: '1 rue du Test', postalCode: '67000', city: 'Testville' } } },
      });
      const ids: string[] = [];
      for (const person of people) {
        const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', { input: person });
        await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: createMicrostructure.id, professionalId: registerProfessional.id, startedOn: teamSince } });
        ids.push(registerProfessional.id);
      }
      await platform.data(coordinator, 'mutation($id: ID!, $on: String!) { openMicrostructure(id: $id, openedOn: $on) { status } }', { id: createMicrostructure.id, on: teamSince });
      return { id: createMicrostructure.id, ids };
    };
    const first = await careTeam('Microstructure e2e des Synthèses', [
      { firstName: 'Pauline', lastName: 'Psy-Réunion', profession: 'PSYCHOLOGIST' },
      { firstName: 'Soline', lastName: 'Social-Réunion', profession: 'SOCIAL_WORKER' },
      { firstName: 'Gaspard', lastName: 'Médecin-Réunion', profession: 'GENERAL_PRACTITIONER' },
    ]);
    const second = await careTeam('Microstructure e2e voisine', [{ firstName: 'Victor', lastName: 'Autre-Réunion', profession: 'GENERAL_PRACTITIONER' }]);
    team = first.id;
    otherTeam = second.id;
    psychologist = professional(first.ids[0], [team], 'psychologist');
    socialWorker = professional(first.ids[1], [team], 'social-worker');
    gp = professional(first.ids[2], [team], 'gp');
    otherGp = professional(second.ids[0], [otherTeam], 'other-gp');

    patients.ysaline = await include(gp, team, { lastName: 'Quatrevents', firstName: 'Ysaline', birthDate: '1987-04-12', sex: 'FEMALE' }, daysAgo(60));
    patients.theodric = await include(gp, team, { lastName: 'Aubépin-Sorel', firstName: 'Théodric', birthDate: '1999-11-30', sex: 'MALE' }, daysAgo(20));
    patients.casimir = await include(otherGp, otherTeam, { lastName: 'Zinnober', firstName: 'Casimir', birthDate: '1975-07-07', sex: 'MALE' }, daysAgo(30));
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  describe('preparing and holding a case-review meeting', () => {
    it('suggests both newly included patients once the inclusions have reached the meetings service', async () => {
      const suggested = await eventually(
        () => onceKnown(() => platform.query<{ reviewSuggestions: Suggestion[] }>(gp, SUGGESTIONS, { ms: team })).then((d) => d.reviewSuggestions),
        (list) => list.length === 2,
        60_000,
      );
      expect(suggested.map((s) => s.patientId).sort()).toEqual([patients.ysaline, patients.theodric].sort());
      for (const suggestion of suggested) expect(suggestion.reasons).toEqual(expect.arrayContaining(['NEVER_REVIEWED', 'NEW_INCLUSION']));
    }, 90_000);

    it('lets a member schedule a meeting in person with expected attendees', async () => {
      const { scheduleMeeting } = await platform.data<{ scheduleMeeting: MeetingView & { place: string; expectedAttendeeIds: string[] } }>(gp, schedule, {
        input: { microstructureId: team, scheduledOn: daysAgo(1), format: 'IN_PERSON', place: 'Salle de réunion du cabinet', expectedAttendeeIds: [gp.professionalId, psychologist.professionalId, socialWorker.professionalId] },
      });
      expect(scheduleMeeting).toMatchObject({ status: 'SCHEDULED', microstructureId: team, networkId, scheduledOn: daysAgo(1), format: 'IN_PERSON', place: 'Salle de réunion du cabinet', reviewedCount: 0 });
      meetingId = scheduleMeeting.id;
    });

    describe('refuses, writing nothing', () => {
      const holdInput = (overrides: object = {}) => ({
        meetingId,
        heldOn: daysAgo(1),
        durationMinutes: 90,
        attendeeIds: [gp.professionalId, psychologist.professionalId],
        reviews: [{ patientId: patients.ysaline, decisions: ['SOCIAL_ACTION'], nextReviewOn: shift(today, 30), summary: SUMMARY_YSALINE }],
        ...overrides,
      });

      it('a non-member attending', async () => {
        const answer = await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ attendeeIds: [gp.professionalId, otherGp.professionalId] }) }), ['ATTENDEE_NOT_MEMBER']);
        expect(answer.errors?.[0].message).toMatch(/n’est pas membre de l’équipe/);
      });

      it('a patient reviewed who is not included in the microstructure', async () => {
        const reviews = [{ patientId: patients.casimir, decisions: ['REFERRAL'], nextReviewOn: shift(today, 30), summary: 'Ne devrait jamais être chiffré ici.' }];
        await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ reviews }) }), ['PATIENT_NOT_INCLUDED']);
      });

      it('a meeting recorded as held in the future', async () => {
        await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ heldOn: shift(today, 1) }) }), ['MEETING_IN_FUTURE']);
      });

      it('an unknown decision code', async () => {
        const reviews = [{ patientId: patients.ysaline, decisions: ['PRAY'], nextReviewOn: shift(today, 30) }];
        await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ reviews }) }), ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
      });

      it('contradictory decisions and a next review not after the meeting', async () => {
        await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ reviews: [{ patientId: patients.ysaline, decisions: ['NO_CHANGE', 'REFERRAL'], nextReviewOn: shift(today, 30) }] }) }), [
          'DECISIONS_CONTRADICTORY',
        ]);
        await expectRefused(() => platform.query(psychologist, hold, { input: holdInput({ reviews: [{ patientId: patients.ysaline, decisions: ['REFERRAL'], nextReviewOn: daysAgo(1) }] }) }), [
          'NEXT_REVIEW_NOT_AFTER_MEETING',
        ]);
      });

      it('a professional of another microstructure, and the coordinator, holding the meeting', async () => {
        await expectRefused(() => platform.query(otherGp, hold, { input: holdInput() }), ['FORBIDDEN']);
        await expectRefused(() => platform.query(coordinator, hold, { input: holdInput() }), ['FORBIDDEN']);
      });

      it('a meeting scheduled in person without a place, or with a non-member expected', async () => {
        await expectRefused(() => platform.query(gp, schedule, { input: { microstructureId: team, scheduledOn: today, format: 'IN_PERSON' } }), ['TEXT_REQUIRED']);
        await expectRefused(() => platform.query(gp, schedule, { input: { microstructureId: team, scheduledOn: today, format: 'VIDEO', expectedAttendeeIds: [otherGp.professionalId] } }), ['ATTENDEE_NOT_MEMBER']);
      });
    });

    it('records the meeting held: attendance, duration, both patients reviewed with coded decisions and encrypted summaries', async () => {
      const { holdMeeting } = await platform.data<{ holdMeeting: MeetingView }>(psychologist, hold, {
        input: {
          meetingId,
          heldOn: daysAgo(1),
          durationMinutes: 90,
          attendeeIds: [gp.professionalId, psychologist.professionalId, socialWorker.professionalId],
          reviews: [
            { patientId: patients.ysaline, decisions: ['SOCIAL_ACTION', 'REFERRAL'], nextReviewOn: shift(today, 30), summary: SUMMARY_YSALINE },
            { patientId: patients.theodric, decisions: ['NO_CHANGE'], nextReviewOn: shift(today, 90), summary: SUMMARY_THEODRIC },
          ],
        },
      });
      expect(holdMeeting).toMatchObject({ id: meetingId, status: 'HELD', heldOn: daysAgo(1), durationMinutes: 90, reviewedCount: 2 });
      expect(holdMeeting.attendeeIds).toHaveLength(3);
      const ysaline = holdMeeting.reviews!.find((r) => r.patientId === patients.ysaline);
      expect(ysaline).toMatchObject({ decisions: ['REFERRAL', 'SOCIAL_ACTION'], nextReviewOn: shift(today, 30), summary: SUMMARY_YSALINE, summaryErased: false });

      // Stored encrypted: neither the event store nor the read model holds the text.
      const stored = await database.pool.query(`select data::text as data from meetings.events where event_type = 'CaseReviewed' union all select summary_ciphertext from meetings.case_reviews`);
      expect(stored.rows.length).toBe(4);
      for (const row of stored.rows) expect(row.data).not.toMatch(/CSAPA|psychologique/);
    });

    it('refuses to hold the same meeting twice', async () => {
      const input = { meetingId, heldOn: daysAgo(1), durationMinutes: 60, attendeeIds: [gp.professionalId] };
      await expectRefused(() => platform.query(gp, hold, { input }), ['MEETING_ALREADY_HELD']);
    });

    it('gives each patient’s review history to the team, and suggests only what is still due', async () => {
      expect(await history(patients.ysaline, socialWorker)).toEqual([
        { meetingId, patientId: patients.ysaline, heldOn: daysAgo(1), decisions: ['REFERRAL', 'SOCIAL_ACTION'], nextReviewOn: shift(today, 30), summary: SUMMARY_YSALINE, summaryErased: false },
      ]);
      // Reviewed, but included 60 days ago without an inclusion assessment: still due, for that reason only.
      expect(await suggestions()).toEqual([{ patientId: patients.ysaline, reasons: ['ASSESSMENT_OVERDUE'], includedOn: daysAgo(60), lastReviewedOn: daysAgo(1), overdueTimepoints: ['INCLUSION'] }]);
    });

    it('lets the team cancel a scheduled meeting with a reason', async () => {
      const { scheduleMeeting } = await platform.data<{ scheduleMeeting: MeetingView }>(gp, schedule, { input: { microstructureId: team, scheduledOn: shift(today, 28), format: 'VIDEO' } });
      await expectRefused(() => platform.query(gp, cancel, { id: scheduleMeeting.id, reason: '  ' }), ['TEXT_REQUIRED']);
      const { cancelMeeting } = await platform.data<{ cancelMeeting: MeetingView }>(socialWorker, cancel, { id: scheduleMeeting.id, reason: 'Médecin en congé' });
      expect(cancelMeeting).toMatchObject({ status: 'CANCELLED', cancelledOn: today, cancellationReason: 'Médecin en congé' });
      await expectRefused(() => platform.query(gp, cancel, { id: meetingId, reason: 'Trop tard' }), ['MEETING_ALREADY_HELD']);
    });

    it('flags the calendar months without a meeting held, not the month of the meeting', async () => {
      const { meetingGaps } = await platform.data<{ meetingGaps: string[] }>(coordinator, 'query($ms: ID!, $from: String!, $to: String!) { meetingGaps(microstructureId: $ms, from: $from, to: $to) }', {
        ms: team,
        from: daysAgo(120),
        to: today,
      });
      expect(meetingGaps.length).toBeGreaterThanOrEqual(3);
      expect(meetingGaps).not.toContain(monthOf(daysAgo(1)));
      expect(meetingGaps).not.toContain(monthOf(today));
    });
  });

  describe('roles', () => {
    it('lets the network’s coordinator list the meetings, through the federated microstructure too, but not read what was said', async () => {
      const listed = await meetings(coordinator);
      expect(listed.map((m) => [m.status, m.reviewedCount])).toEqual([
        ['HELD', 2],
        ['CANCELLED', 0],
      ]);
      expect(listed[1].cancellationReason).toBeNull();
      const federated = await platform.data<{ microstructure: { name: string; meetings: { id: string; status: string }[] } }>(
        coordinator,
        'query($id: ID!, $from: String!, $to: String!) { microstructure(id: $id) { name meetings(from: $from, to: $to) { id status } } }',
        { id: team, from: daysAgo(30), to: shift(today, 60) },
      );
      expect(federated.microstructure).toMatchObject({ name: 'Microstructure e2e des Synthèses', meetings: [{ id: meetingId, status: 'HELD' }, { status: 'CANCELLED' }] });

      const NETWORK = 'query($n: ID!, $from: String!, $to: String!) { meetingsOfNetwork(networkId: $n, from: $from, to: $to) { id microstructureId status } }';
      const ofNetwork = await platform.data<{ meetingsOfNetwork: { id: string; microstructureId: string }[] }>(coordinator, NETWORK, { n: networkId, from: daysAgo(30), to: shift(today, 60) });
      expect(ofNetwork.meetingsOfNetwork.map((m) => m.microstructureId)).toEqual([team, team]);
      for (const who of [otherCoordinator, gp, funder]) expect(codesOf(await platform.query(who, NETWORK, { n: networkId, from: daysAgo(30), to: today }))).toEqual(['FORBIDDEN']);

      expect(codesOf(await platform.query(coordinator, `query($id: ID!) { meeting(id: $id) { id reviews { summary } } }`, { id: meetingId }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await platform.query(coordinator, HISTORY, { id: patients.ysaline }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await platform.query(coordinator, SUGGESTIONS, { ms: team }))).toEqual(['FORBIDDEN']);
    });

    it('refuses another network’s coordinator, a professional of another microstructure and funders', async () => {
      for (const who of [otherCoordinator, otherGp, funder]) {
        expect(codesOf(await platform.query(who, MEETINGS, { ms: team, from: daysAgo(30), to: today }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, HISTORY, { id: patients.ysaline }))).toEqual(['FORBIDDEN']);
      }
      expect(codesOf(await platform.query(null, MEETINGS, { ms: team, from: daysAgo(30), to: today }))).toEqual(['UNAUTHENTICATED']);
    });

    it('decides on the directory’s current memberships, not on the token: a token naming the team opens nothing to a non-member or a former member', async () => {
      const REVIEWS = `query($id: ID!) { meeting(id: $id) { id reviews { summary } } }`;
      // A professional of another team whose token also names this one.
      const intruder = professional(otherGp.professionalId as string, [otherTeam, team], 'intruder');
      // A member who left yesterday, with a token issued while they were in the team.
      const { registerProfessional } = await platform.data<{ registerProfessional: { id: string } }>(coordinator, 'mutation($input: RegisterProfessionalInput!) { registerProfessional(input: $input) { id } }', {
        input: { firstName: 'Fanny', lastName: 'Partie-Réunion', profession: 'PSYCHOLOGIST' },
      });
      const former = professional(registerProfessional.id, [team], 'former');
      await platform.data(coordinator, 'mutation($input: AddMemberInput!) { addMember(input: $input) { active } }', { input: { microstructureId: team, professionalId: former.professionalId, startedOn: teamSince } });
      await onceKnown(() => platform.query(former, SUGGESTIONS, { ms: team }));
      await platform.data(coordinator, 'mutation($input: EndMembershipInput!) { endMembership(input: $input) { active } }', { input: { microstructureId: team, professionalId: former.professionalId, endedOn: daysAgo(1) } });
      await eventually(() => platform.query(former, SUGGESTIONS, { ms: team }), (answer) => codesOf(answer)[0] === 'FORBIDDEN', 60_000);

      for (const who of [intruder, former]) {
        expect(codesOf(await platform.query(who, REVIEWS, { id: meetingId }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, HISTORY, { id: patients.ysaline }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, SUGGESTIONS, { ms: team }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, MEETINGS, { ms: team, from: daysAgo(30), to: today }))).toEqual(['FORBIDDEN']);
        expect(codesOf(await platform.query(who, schedule, { input: { microstructureId: team, scheduledOn: shift(today, 10), format: 'VIDEO' } }))).toEqual(['FORBIDDEN']);
      }
    });

    it('answers a made-up meeting id as it answers a real one the caller may not see', async () => {
      const REVIEWS = `query($id: ID!) { meeting(id: $id) { id } }`;
      const real = await platform.query(otherGp, REVIEWS, { id: meetingId });
      const madeUp = await platform.query(otherGp, REVIEWS, { id: '00000000-0000-4000-8000-000000000000' });
      expect(codesOf(real)).toEqual(['FORBIDDEN']);
      expect(codesOf(madeUp)).toEqual(codesOf(real));
      expect(madeUp.errors?.[0].message).toEqual(real.errors?.[0].message);
    });
  });

  describe('network exchange meetings', () => {
    it('lets the coordinator record one with attendance from several microstructures, without any patient', async () => {
      const input = {
        networkId,
        heldOn: daysAgo(3),
        topics: ['ADDICTION_CARE', 'COMPLEX_SITUATIONS'],
        note: 'Sevrage alcool à domicile : échanges de pratiques',
        format: 'VIDEO',
        durationMinutes: 120,
        attendees: [
          { professionalId: psychologist.professionalId, microstructureId: team },
          { professionalId: otherGp.professionalId, microstructureId: otherTeam },
        ],
      };
      await expectRefused(() => platform.query(gp, recordNetworkMeeting, { input }), ['FORBIDDEN']);
      await expectRefused(() => platform.query(coordinator, recordNetworkMeeting, { input: { ...input, note: 'Le cas de Mme Durand' } }), ['NOTE_MAY_NAME_A_PERSON']);
      await expectRefused(() => platform.query(coordinator, recordNetworkMeeting, { input: { ...input, attendees: [{ professionalId: otherGp.professionalId, microstructureId: team }] } }), ['ATTENDEE_NOT_IN_NETWORK']);
      const { recordNetworkMeeting: recorded } = await platform.data<{ recordNetworkMeeting: { microstructureIds: string[]; attendees: unknown[] } }>(coordinator, recordNetworkMeeting, { input });
      expect(recorded).toMatchObject({ networkId, heldOn: daysAgo(3), topics: ['COMPLEX_SITUATIONS', 'ADDICTION_CARE'], durationMinutes: 120, attendees: input.attendees, microstructureIds: [team, otherTeam].sort() });
      const listed = await platform.data<{ networkMeetings: { id: string }[] }>(psychologist, 'query($n: ID!, $from: String!, $to: String!) { networkMeetings(networkId: $n, from: $from, to: $to) { id } }', {
        n: networkId,
        from: daysAgo(10),
        to: today,
      });
      expect(listed.networkMeetings).toHaveLength(1);
    });
  });

  describe('erasure', () => {
    it('makes the summaries of a patient who asked to be forgotten unreadable, and keeps the coded decisions', async () => {
      await platform.data(gp, 'mutation($id: ID!) { erasePatientIdentity(patientId: $id) { erased } }', { id: patients.ysaline });
      const [review] = await eventually(
        () => history(patients.ysaline),
        (reviews) => reviews[0]?.summaryErased === true,
        30_000,
      );
      expect(review).toMatchObject({ patientId: patients.ysaline, decisions: ['REFERRAL', 'SOCIAL_ACTION'], summary: null, summaryErased: true });
      expect((await history(patients.theodric))[0]).toMatchObject({ summary: SUMMARY_THEODRIC, summaryErased: false });

      // A new summary about the erased patient is refused before anything is written; coded decisions alone are still accepted.
      const { scheduleMeeting } = await platform.data<{ scheduleMeeting: MeetingView }>(gp, schedule, { input: { microstructureId: team, scheduledOn: today, format: 'VIDEO' } });
      const reviews = [
        { patientId: patients.theodric, decisions: ['ADJUST_CARE_PLAN'], nextReviewOn: shift(today, 30), summary: 'Nouvelle synthèse.' },
        { patientId: patients.ysaline, decisions: ['NO_CHANGE'], nextReviewOn: shift(today, 30), summary: 'Ne doit pas être enregistrée.' },
      ];
      const input = { meetingId: scheduleMeeting.id, heldOn: today, durationMinutes: 45, attendeeIds: [gp.professionalId], reviews };
      await expectRefused(() => platform.query(gp, hold, { input }), ['PATIENT_ERASED']);
      const { holdMeeting } = await platform.data<{ holdMeeting: MeetingView }>(gp, hold, { input: { ...input, reviews: [{ ...input.reviews[1], summary: null }] } });
      expect(holdMeeting.reviews).toEqual([expect.objectContaining({ patientId: patients.ysaline, decisions: ['NO_CHANGE'], summary: null, summaryErased: false })]);
    }, 60_000);
  });
});
