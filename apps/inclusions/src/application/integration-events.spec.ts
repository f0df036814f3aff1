import { AssessmentRecorded, ExitRecorded, FollowUpSessionRecorded, INCLUSION_TOPIC, INCLUSIONS_CONTRACT_CODES, PatientErased, PatientIncluded, platformContracts } from '@cnrms/contracts';
import { Decider, DomainEvent, fold } from '@cnrms/decider';
import {
  AGE_BANDS,
  ageBand,
  ClearIdentity,
  EMPLOYMENT_SITUATIONS,
  EXIT_REASONS,
  HEALTH_COVERAGES,
  HOUSING_SITUATIONS,
  INCLUSION_REASONS,
  InclusionCommand,
  inclusionDecider,
  inclusionStream,
  INCOME_SOURCES,
  isReinclusion,
  isValidSsn,
  PARTNER_TYPES,
  patientCaseDecider,
  patientCaseStream,
  patientDecider,
  patientStream,
  Profession,
  RIGHT_STATUSES,
  RIGHTS,
  SCREENED_DISEASES,
  SCREENING_RESULTS,
  TREATED_DISEASES,
  TREATMENT_STATUSES,
  SCREENING_STATUSES,
  SESSION_KINDS,
  SessionKind,
  SessionOutcomes,
  SEXES,
  ssnKey,
  SUBSTANCES,
} from '@cnrms/domain-inclusions';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { IntegrationEvent, toIntegrationEvent } from '@cnrms/messaging';
import { inclusionsRelay, translateInclusionsEvent } from './integration-events';

// ---- Two patients whose identity must never leave the service ----

interface Team {
  microstructureId: string;
  networkId: string;
  gp: string;
  psychologist: string;
  socialWorker: string;
  psychiatrist: string;
}

interface PatientFixture {
  patientId: string;
  team: Team;
  identity: Required<ClearIdentity>;
  identityCiphertext: string;
  carePlan: { goals: string[]; nextSteps: string[] };
}

const withKey = (body: string) => body + String(ssnKey(body)).padStart(2, '0');
/** As printed on a carte Vitale: « 2 87 03 75 112 045 xx ». */
const spaced = (ssn: string) => [ssn.slice(0, 1), ssn.slice(1, 3), ssn.slice(3, 5), ssn.slice(5, 7), ssn.slice(7, 10), ssn.slice(10, 13), ssn.slice(13)].join(' ');
/** Stands for the application's encryption: opaque to the domain, and a leak of it must be caught too. */
const encrypt = (identity: ClearIdentity, iv: string) => `v1:aes-256-gcm:${iv}:${Buffer.from(JSON.stringify(identity)).toString('base64')}`;

function patient(patientId: string, team: Team, identity: Required<ClearIdentity>, iv: string, carePlan: PatientFixture['carePlan']): PatientFixture {
  return { patientId, team, identity, identityCiphertext: encrypt(identity, iv), carePlan };
}

const anais = patient(
  'pat-4c1e9a',
  { microstructureId: 'ms-neudorf', networkId: 'net-alsace', gp: 'pro-gp-neudorf', psychologist: 'pro-psy-neudorf', socialWorker: 'pro-sw-neudorf', psychiatrist: 'pro-psychiatre-neudorf' },
  { lastName: 'Zébulon-Quenardel', firstName: 'Anaïs', birthDate: '1987-03-14', sex: 'FEMALE', contact: '06 12 34 56 78, 12 rue des Lilas', socialSecurityNumber: withKey('2870375112045') },
  'q83vEjRWeJA0Yk2x',
  {
    goals: ['arrêter l’alcool avant le mariage de sa fille', 'retrouver un logement stable'],
    nextSteps: ['appeler Anaïs après son rendez-vous au CSAPA', 'dossier CSS avec Mme Zébulon-Quenardel'],
  },
);
const theophile = patient(
  'pat-b7302d',
  { microstructureId: 'ms-montbeliard', networkId: 'net-bfc', gp: 'pro-gp-montbeliard', psychologist: 'pro-psy-montbeliard', socialWorker: 'pro-sw-montbeliard', psychiatrist: 'pro-psychiatre-montbeliard' },
  { lastName: 'Kowalczyk-Brandt', firstName: 'Théophile', birthDate: '1962-11-02', sex: 'MALE', contact: 'theo.kb@example.org, 3 impasse des Tanneurs', socialSecurityNumber: withKey('162112A004123') },
  'Zm9vYmFyYmF6cXV4',
  { goals: ['reprendre contact avec son frère à Besançon'], nextSteps: ['orienter Théophile vers le CMP'] },
);

// ---- The scenario: the domain events the deciders record, as the event store returns them ----

class Scenario {
  readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, DomainEvent[]>();

  /** Decides `command` on `streamId` as a command handler would, records the events, returns the new state. */
  run<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, command: C, actorId: string, networkId: string, day: string): S {
    const past = (this.streams.get(streamId) ?? []) as E[];
    const events = decider.decide(command, fold(decider, past));
    for (const [index, event] of events.entries()) {
      const n = this.log.length + 1;
      this.log.push({
        streamId,
        streamVersion: past.length + index + 1,
        position: { commit: BigInt(n), prepare: BigInt(n) },
        type: event.type,
        data: event.data,
        metadata: { eventId: `evt-${n}`, correlationId: `corr-${n}`, causationId: null, actorId, networkId, occurredAt: `${day}T08:15:00.000Z` },
        recordedAt: new Date(`${day}T08:15:00.000Z`),
      });
    }
    this.streams.set(streamId, [...past, ...events]);
    return fold(decider, [...past, ...events]);
  }

  register({ patientId, team, identity, identityCiphertext }: PatientFixture, registeredAt: string) {
    const data = { patientId, ...ids(team), identityCiphertext, sex: identity.sex, birthYear: Number(identity.birthDate.slice(0, 4)), registeredAt };
    this.run(patientDecider, patientStream(patientId), { type: 'RegisterPatient', data }, team.gp, team.networkId, registeredAt.slice(0, 10));
  }

  /** The IncludePatient handler's order: the guard stream first, then the inclusion with `reinclusion` from it. */
  include(p: PatientFixture, inclusionId: string, includedOn: string, partnerSharing: string[]) {
    const { patientId, team } = p;
    const guard = this.run(patientCaseDecider, patientCaseStream(patientId, team.microstructureId), { type: 'OpenCase', data: { patientId, microstructureId: team.microstructureId, inclusionId, includedOn } }, team.gp, team.networkId, includedOn);
    const birthYear = Number(p.identity.birthDate.slice(0, 4));
    this.inclusion(p, inclusionId, includedOn, 'IncludePatient', {
      patientId,
      ...ids(team),
      includedOn,
      reasons: ['ADDICTION', 'PRECARITY'],
      treatingGpId: team.gp,
      actor: { professionalId: team.gp, profession: 'GENERAL_PRACTITIONER' },
      actorIsMemberGp: true,
      consent: { givenOn: includedOn, teamSharing: true, partnerSharing },
      initialSituation: { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'NONE', mainSubstances: ['ALCOHOL', 'TOBACCO'], daysOfUseLast30: 26 },
      reinclusion: isReinclusion(guard),
      profile: { sex: p.identity.sex, ageBand: ageBand(birthYear, includedOn) },
      microstructure: { status: 'ACTIVE', openedOn: null, closedOn: null },
      partnerIds: partnerSharing,
      birth: { birthDate: p.identity.birthDate, birthYear },
    });
  }

  session(p: PatientFixture, inclusionId: string, sessionId: string, kind: SessionKind, heldOn: string, outcomes: Partial<SessionOutcomes> = {}) {
    const byKind: Record<SessionKind, [string, Profession]> = {
      GP_CONSULTATION: [p.team.gp, 'GENERAL_PRACTITIONER'],
      PSYCHOLOGIST_SESSION: [p.team.psychologist, 'PSYCHOLOGIST'],
      SOCIAL_WORK_INTERVIEW: [p.team.socialWorker, 'SOCIAL_WORKER'],
      PSYCHIATRIST_SESSION: [p.team.psychiatrist, 'PSYCHIATRIST'],
    };
    const [professionalId, profession] = byKind[kind];
    this.inclusion(p, inclusionId, heldOn, 'RecordSession', { sessionId, kind, heldOn, professionalId, profession, actorIsMember: true, durationMinutes: 40, outcomes, patientErased: false }, professionalId);
  }

  assess(p: PatientFixture, inclusionId: string, timepoint: string, assessedOn: string, daysOfUseLast30: number, qualityOfLifeScore: number) {
    const data = { timepoint, assessedOn, daysOfUseLast30, qualityOfLifeScore, housing: 'STABLE', employment: 'UNEMPLOYED', healthCoverage: 'CSS', recordedBy: p.team.psychologist, actorIsMember: true } as const;
    this.inclusion(p, inclusionId, assessedOn, 'RecordAssessment', data, p.team.psychologist);
  }

  revisePlan(p: PatientFixture, inclusionId: string, updatedOn: string) {
    this.inclusion(p, inclusionId, updatedOn, 'UpdateCarePlan', { ...p.carePlan, sealed: 'sealed-under-the-patient-key', updatedOn, updatedBy: p.team.socialWorker, actorIsMember: true }, p.team.socialWorker);
  }

  exit(p: PatientFixture, inclusionId: string, exitedOn: string, reason: 'GOALS_REACHED' | 'MOVED') {
    this.inclusion(p, inclusionId, exitedOn, 'RecordExit', { exitedOn, reason, recordedBy: p.team.gp, actorIsMember: true });
    const { patientId, team } = p;
    this.run(patientCaseDecider, patientCaseStream(patientId, team.microstructureId), { type: 'CloseCase', data: { patientId, microstructureId: team.microstructureId, inclusionId, exitedOn } }, team.gp, team.networkId, exitedOn);
  }

  erase({ patientId, team }: PatientFixture, erasedAt: string) {
    this.run(patientDecider, patientStream(patientId), { type: 'EraseIdentity', data: { patientId, erasedAt, requestedBy: team.gp } }, team.gp, team.networkId, erasedAt.slice(0, 10));
  }

  private inclusion(p: PatientFixture, inclusionId: string, today: string, type: InclusionCommand['type'], data: object, actorId = p.team.gp) {
    const command = { type, data: { inclusionId, today, ...data } } as InclusionCommand;
    this.run(inclusionDecider, inclusionStream(inclusionId), command, actorId, p.team.networkId, today);
  }
}

const ids = ({ microstructureId, networkId }: Team) => ({ microstructureId, networkId });

function scenario(): RecordedEvent[] {
  const s = new Scenario();
  s.register(anais, '2024-05-02T09:40:00+02:00');
  s.include(anais, 'inc-a1', '2024-05-02', ['partner-csapa-strasbourg', 'partner-pharmacie-neudorf']);
  s.assess(anais, 'inc-a1', 'INCLUSION', '2024-05-02', 26, 38);
  s.revisePlan(anais, 'inc-a1', '2024-05-02');
  s.session(anais, 'inc-a1', 'ses-a1', 'GP_CONSULTATION', '2024-05-02', { screenings: [{ disease: 'HCV', status: 'PROPOSED' }] });
  s.session(anais, 'inc-a1', 'ses-a2', 'SOCIAL_WORK_INTERVIEW', '2024-05-14', {
    rights: [{ right: 'CSS', status: 'APPLIED' }],
    referrals: [{ partnerId: 'partner-csapa-strasbourg', partnerType: 'CSAPA' }],
  });
  s.session(anais, 'inc-a1', 'ses-a3', 'PSYCHOLOGIST_SESSION', '2024-05-21');
  s.session(anais, 'inc-a1', 'ses-a4', 'GP_CONSULTATION', '2024-06-11', {
    screenings: [
      { disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' },
      { disease: 'HIV', status: 'DONE', result: 'NEGATIVE' },
    ],
    treatments: [{ disease: 'HCV', status: 'STARTED' }],
  });
  s.session(anais, 'inc-a1', 'ses-a5', 'SOCIAL_WORK_INTERVIEW', '2024-07-02', { rights: [{ right: 'CSS', status: 'GRANTED' }, { right: 'HOUSING', status: 'APPLIED' }] });
  s.assess(anais, 'inc-a1', 'M6', '2024-11-05', 8, 61);
  s.assess(anais, 'inc-a1', 'M12', '2025-05-06', 2, 74);
  s.exit(anais, 'inc-a1', '2025-06-30', 'GOALS_REACHED');
  s.include(anais, 'inc-a2', '2025-10-07', []);
  s.session(anais, 'inc-a2', 'ses-a6', 'PSYCHOLOGIST_SESSION', '2025-10-14');

  s.register(theophile, '2024-09-10T14:05:00+02:00');
  s.include(theophile, 'inc-b1', '2024-09-10', ['partner-cmp-montbeliard']);
  s.revisePlan(theophile, 'inc-b1', '2024-09-10');
  s.session(theophile, 'inc-b1', 'ses-b1', 'PSYCHIATRIST_SESSION', '2024-09-24', { referrals: [{ partnerId: 'partner-cmp-montbeliard', partnerType: 'CMP' }] });
  s.session(theophile, 'inc-b1', 'ses-b2', 'PSYCHOLOGIST_SESSION', '2024-10-08', { screenings: [{ disease: 'HBV', status: 'DONE', result: 'NEGATIVE' }] });
  s.assess(theophile, 'inc-b1', 'INCLUSION', '2024-09-24', 12, 45);
  s.exit(theophile, 'inc-b1', '2025-02-28', 'MOVED');
  // 00:30 in France on 1 September, still 31 August in UTC.
  s.erase(theophile, '2025-08-31T22:30:00Z');
  return s.log;
}

// ---- What must never be found in an integration event ----

/** Lower case, accents and curly apostrophes folded: « ZEBULON », « Anais » and « l'alcool » are still found. */
const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/’/g, "'").toLowerCase();
/** Without spaces, dots, dashes and slashes: « 06.12.34.56.78 » is the same number as « 06 12 34 56 78 ». */
const compact = (text: string) => plain(text).replace(/[\s.\-/]/g, '');

function secretsOf({ identity, identityCiphertext, carePlan }: PatientFixture): [label: string, values: string[]][] {
  const [year, month, day] = identity.birthDate.split('-');
  const ssn = identity.socialSecurityNumber;
  return [
    ['last name', [identity.lastName, ...identity.lastName.split(/[-' ]/)]],
    ['first name', [identity.firstName]],
    ['birth date', [identity.birthDate, `${day}/${month}/${year}`]],
    ['social security number', [ssn, ssn.slice(0, 13)]],
    ['contact', [identity.contact, ...identity.contact.split(',').map((part) => part.trim())]],
    ['encrypted identity', [identityCiphertext, ...identityCiphertext.split(':').filter((segment) => segment.length >= 12)]],
    ['care plan', [...carePlan.goals, ...carePlan.nextSteps]],
  ];
}

/** The labels of every identifying value of `patients` found in `event` (an integration event: payload and envelope alike). */
function leaksIn(event: unknown, patients: readonly PatientFixture[]): string[] {
  const json = JSON.stringify(event);
  const found = new Set<string>();
  for (const p of patients) {
    for (const [label, values] of secretsOf(p)) {
      if (values.some((value) => plain(json).includes(plain(value)) || compact(json).includes(compact(value)))) found.add(`${label} of ${p.patientId}`);
    }
    // A birth year anywhere, as a number or inside a text, but not as part of a longer number.
    if (new RegExp(`(?<!\\d)${p.identity.birthDate.slice(0, 4)}(?!\\d)`).test(json)) found.add(`birth year of ${p.patientId}`);
  }
  return [...found];
}

// ---- The translation ----

const patients = [anais, theophile];
const registry = platformContracts();

/** What the relay does with each recorded event: translate, wrap in the envelope, validate before publishing. */
function publish(log: readonly RecordedEvent[]): IntegrationEvent[] {
  return log.flatMap((recorded) => {
    const translated = translateInclusionsEvent(recorded);
    if (!translated) return [];
    const event = toIntegrationEvent(recorded, translated);
    registry.validateForPublish(event.type, event.version, event.payload);
    return [event];
  });
}

describe('inclusions integration events', () => {
  const log = scenario();
  const published = publish(log);

  it('records a realistic history first: every domain event type, for both patients', () => {
    expect(patients.map((p) => isValidSsn(p.identity.socialSecurityNumber))).toEqual([true, true]);
    expect(new Set(log.map((e) => e.type))).toEqual(
      new Set(['PatientRegistered', 'PatientCaseOpened', 'PatientIncluded', 'FollowUpSessionRecorded', 'AssessmentRecorded', 'CarePlanRevised', 'ExitRecorded', 'PatientCaseClosed', 'IdentityErased']),
    );
  });

  it('would be caught if the domain events left as they are: encrypted identity and birth year (the care plan naming the patient is sealed in them)', () => {
    const leaks = new Set(log.flatMap((recorded) => leaksIn(recorded.data, patients)));
    const [a, b] = [anais.patientId, theophile.patientId];
    expect(leaks).toEqual(new Set([`encrypted identity of ${a}`, `birth year of ${a}`, `encrypted identity of ${b}`, `birth year of ${b}`]));
  });

  it('publishes inclusions, sessions, assessments, exits and erasures, and nothing else', () => {
    const counts = published.reduce<Record<string, number>>((all, e) => ({ ...all, [e.type]: (all[e.type] ?? 0) + 1 }), {});
    expect(counts).toEqual({
      [PatientIncluded.type]: 3,
      [FollowUpSessionRecorded.type]: 8,
      [AssessmentRecorded.type]: 4,
      [ExitRecorded.type]: 2,
      [PatientErased.type]: 1,
    });
  });

  it('lets no identifying value of either patient leave, in the payload or the envelope', () => {
    const leaks = published.flatMap((event) => leaksIn(event, patients).map((leak) => `${event.type} ${event.eventId}: ${leak}`));
    expect(leaks).toEqual([]);
  });

  it('keys every message by the pseudonymous patient id, on the inclusions topic, with the domain event’s id', () => {
    const logIds = new Set(log.map((e) => e.metadata.eventId));
    for (const event of published) {
      expect(event).toMatchObject({ topic: INCLUSION_TOPIC, version: event.type === FollowUpSessionRecorded.type ? 2 : 1, key: (event.payload as { patientId: string }).patientId });
      expect(logIds).toContain(event.eventId);
      expect(event.networkId).toBe((event.payload as { networkId: string }).networkId);
    }
    expect(new Set(published.map((e) => e.key))).toEqual(new Set([anais.patientId, theophile.patientId]));
  });

  it('publishes the coarse profile and the situation codes, counting the partners shared with without naming them', () => {
    const first = published.find((e) => e.type === PatientIncluded.type)?.payload;
    expect(first).toEqual({
      inclusionId: 'inc-a1',
      patientId: anais.patientId,
      microstructureId: 'ms-neudorf',
      networkId: 'net-alsace',
      includedOn: '2024-05-02',
      reasons: ['ADDICTION', 'PRECARITY'],
      reinclusion: false,
      sex: 'FEMALE',
      ageBand: 'AGE_35_44',
      initialSituation: { housing: 'PRECARIOUS', income: 'BENEFITS', healthCoverage: 'NONE', mainSubstances: ['ALCOHOL', 'TOBACCO'], daysOfUseLast30: 26 },
      teamConsent: true,
      partnerSharingCount: 2,
      treatingGpId: 'pro-gp-neudorf',
    });
    expect(published.filter((e) => e.type === PatientIncluded.type).map((e) => (e.payload as { reinclusion: boolean }).reinclusion)).toEqual([false, true, false]);
  });

  it('publishes a session’s outcomes as the domain recorded them', () => {
    const session = published.find((e) => (e.payload as { sessionId?: string }).sessionId === 'ses-a4')?.payload;
    expect(session).toMatchObject({
      kind: 'GP_CONSULTATION',
      heldOn: '2024-06-11',
      professionalId: 'pro-gp-neudorf',
      durationMinutes: 40,
      outcomes: { screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }, { disease: 'HIV', status: 'DONE', result: 'NEGATIVE' }], rights: [], referrals: [], treatments: [{ disease: 'HCV', status: 'STARTED' }] },
    });
    // A session without a treatment: v2 with an empty list.
    const other = published.find((e) => (e.payload as { sessionId?: string }).sessionId === 'ses-a3');
    expect(other).toMatchObject({ version: 2, payload: { outcomes: { treatments: [] } } });
  });

  it('tells the erasure with the microstructure, the network and the day in France, not the time', () => {
    expect(published.find((e) => e.type === PatientErased.type)).toMatchObject({
      key: theophile.patientId,
      payload: { patientId: theophile.patientId, microstructureId: 'ms-montbeliard', networkId: 'net-bfc', erasedOn: '2025-09-01' },
    });
  });

  it('refuses to publish an erasure recorded without its microstructure rather than publish it incomplete', () => {
    const erased = log.find((e) => e.type === 'IdentityErased') as RecordedEvent;
    const older = { ...erased, data: { patientId: theophile.patientId, erasedAt: '2025-08-31T22:30:00Z', requestedBy: 'pro-gp-montbeliard' } };
    expect(() => translateInclusionsEvent(older)).toThrow(/evt-\d+ lacks its microstructure/);
  });

  it('ignores an event type the service does not record', () => {
    expect(translateInclusionsEvent({ ...log[0], type: 'MicrostructureOpened' })).toBeNull();
  });

  it('relays the patient and inclusion streams, not the patient-case guards', () => {
    expect(inclusionsRelay.categories).toEqual(['patient', 'inclusion']);
    expect(inclusionsRelay.translate).toBe(translateInclusionsEvent);
  });

  describe('the identity scanner', () => {
    const clean = published.find((e) => e.type === PatientIncluded.type) as IntegrationEvent<Record<string, unknown>>;
    const ssn = anais.identity.socialSecurityNumber;

    it.each<[string, (event: IntegrationEvent<Record<string, unknown>>) => void, string]>([
      ['a last name in capitals', (e) => (e.payload.lastName = 'ZEBULON-QUENARDEL'), `last name of ${anais.patientId}`],
      ['half of a compound name', (e) => (e.payload.note = 'famille Quenardel'), `last name of ${anais.patientId}`],
      ['a first name without its accent, deep in the payload', (e) => ((e.payload.initialSituation as Record<string, unknown>).comment = 'anais'), `first name of ${anais.patientId}`],
      ['the other patient’s name in the envelope', (e) => (e.correlationId = 'Kowalczyk'), `last name of ${theophile.patientId}`],
      ['a birth date written the French way', (e) => (e.payload.born = '14/03/1987'), `birth date of ${anais.patientId}`],
      ['a birth year as a number', (e) => (e.payload.birthYear = 1962), `birth year of ${theophile.patientId}`],
      ['a social security number with its spaces', (e) => (e.payload.nir = spaced(ssn)), `social security number of ${anais.patientId}`],
      ['a social security number without its key', (e) => (e.payload.nir = ssn.slice(0, 13)), `social security number of ${anais.patientId}`],
      ['a phone number with dots', (e) => (e.payload.phone = '06.12.34.56.78'), `contact of ${anais.patientId}`],
      ['an address', (e) => (e.payload.address = '3 Impasse des Tanneurs'), `contact of ${theophile.patientId}`],
      ['the encrypted identity', (e) => (e.causationId = anais.identityCiphertext), `encrypted identity of ${anais.patientId}`],
      ['a care-plan goal', (e) => (e.payload.goal = 'Arrêter l\'alcool avant le mariage de sa fille'), `care plan of ${anais.patientId}`],
    ])('flags %s', (_case, inject, leak) => {
      expect(leaksIn(clean, patients)).toEqual([]);
      const tainted = structuredClone(clean);
      inject(tainted);
      expect(leaksIn(tainted, patients)).toContain(leak);
    });
  });

  it('uses the same codes as the domain, so that no recorded value is refused at publication', () => {
    expect(INCLUSIONS_CONTRACT_CODES).toEqual({
      sexes: SEXES,
      ageBands: AGE_BANDS,
      inclusionReasons: INCLUSION_REASONS,
      housingSituations: HOUSING_SITUATIONS,
      incomeSources: INCOME_SOURCES,
      healthCoverages: HEALTH_COVERAGES,
      substances: SUBSTANCES,
      employmentSituations: EMPLOYMENT_SITUATIONS,
      exitReasons: EXIT_REASONS,
      sessionKinds: SESSION_KINDS,
      screenedDiseases: SCREENED_DISEASES,
      screeningStatuses: SCREENING_STATUSES,
      screeningResults: SCREENING_RESULTS,
      rights: RIGHTS,
      rightStatuses: RIGHT_STATUSES,
      partnerTypes: PARTNER_TYPES,
      treatedDiseases: TREATED_DISEASES,
      treatmentStatuses: TREATMENT_STATUSES,
    });
  });
});
