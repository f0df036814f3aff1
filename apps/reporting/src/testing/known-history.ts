import { platformContracts } from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';

/**
 * A small, known history of the platform's integration events (2023–2024): three networks in two
 * regions, five microstructures, nineteen patients, their sessions, assessments, exits, and case-review
 * meetings. The indicator specs compare every answer with figures computed by hand from this history
 * (the reasoning is written beside each expectation).
 */

const registry = platformContracts();
let counter = 0;

export function event(type: string, key: string, payload: Record<string, unknown>): IntegrationEvent {
  const contract = registry.get(type)!;
  const decoded = registry.decode(type, contract.version, payload);
  if (decoded.kind !== 'accepted') throw new Error(`test history: ${type} not accepted (${decoded.reason})`);
  counter += 1;
  return {
    eventId: `evt-${String(counter).padStart(5, '0')}`,
    type,
    version: contract.version,
    topic: contract.topic,
    key,
    payload: decoded.payload,
    correlationId: 'c-history',
    causationId: null,
    occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, counter)).toISOString(),
    networkId: (payload.networkId as string | undefined) ?? null,
  };
}

type Sex = 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN';
interface Session {
  on: string;
  kind: 'GP_CONSULTATION' | 'PSYCHOLOGIST_SESSION' | 'SOCIAL_WORK_INTERVIEW';
  screenings?: { disease: 'HCV' | 'HIV' | 'HBV'; status: 'PROPOSED' | 'DONE'; result?: 'RNA_POSITIVE' }[];
  treatments?: { disease: 'HCV'; status: 'STARTED' }[];
  rights?: { right: 'CSS' | 'AME' | 'HOUSING'; status: 'GRANTED' }[];
  referrals?: { partnerId: string; partnerType: 'CSAPA' | 'CAARUD' }[];
}
interface Assessment {
  timepoint: string;
  on: string;
  days: number;
  qol: number;
}
interface Patient {
  id: string;
  ms: string;
  sex: Sex;
  age: string;
  included: string;
  gp: string;
  days?: number;
  reinclusion?: boolean;
  sessions?: Session[];
  assessments?: Assessment[];
  exit?: { on: string; reason: string };
}

export const NETWORKS = [
  { networkId: 'net-A', name: 'Réseau Alsace', region: 'Grand Est', regionCode: '44', departments: ['67', '68'] },
  { networkId: 'net-B', name: 'Réseau Lorraine', region: 'Grand Est', regionCode: '44', departments: ['54'] },
  { networkId: 'net-C', name: 'Réseau Provence', region: 'Provence-Alpes-Côte d’Azur', regionCode: '93', departments: ['13'] },
];

export const MICROSTRUCTURES = [
  { microstructureId: 'ms-A1', networkId: 'net-A', name: 'MS Strasbourg', kind: 'ADDICTION', department: '67', openedOn: '2023-06-01' },
  { microstructureId: 'ms-A2', networkId: 'net-A', name: 'MS Colmar', kind: 'MENTAL_HEALTH', department: '68', openedOn: '2024-03-15' },
  { microstructureId: 'ms-B1', networkId: 'net-B', name: 'MS Nancy', kind: 'ADDICTION', department: '54', openedOn: '2024-01-10', closedOn: '2024-09-30' },
  { microstructureId: 'ms-C1', networkId: 'net-C', name: 'MS Marseille', kind: 'ADDICTION', department: '13', openedOn: '2024-07-01' },
  { microstructureId: 'ms-C2', networkId: 'net-C', name: 'MS Aix', kind: 'MENTAL_HEALTH', department: '13' },
];

const psy = (on: string, extra: Partial<Session> = {}): Session => ({ on, kind: 'PSYCHOLOGIST_SESSION', ...extra });
const social = (on: string, extra: Partial<Session> = {}): Session => ({ on, kind: 'SOCIAL_WORK_INTERVIEW', ...extra });
const gp = (on: string, extra: Partial<Session> = {}): Session => ({ on, kind: 'GP_CONSULTATION', ...extra });

export const PATIENTS: Patient[] = [
  {
    id: 'p1', ms: 'ms-A1', sex: 'FEMALE', age: 'AGE_25_34', included: '2023-09-01', gp: 'gp-1', days: 20,
    sessions: [psy('2024-01-10'), psy('2024-02-10'), social('2024-04-05')],
    assessments: [{ timepoint: 'INCLUSION', on: '2023-09-01', days: 20, qol: 40 }, { timepoint: 'M6', on: '2024-03-01', days: 10, qol: 50 }, { timepoint: 'M12', on: '2024-09-01', days: 5, qol: 70 }],
  },
  {
    id: 'p2', ms: 'ms-A1', sex: 'MALE', age: 'AGE_35_44', included: '2024-01-15', gp: 'gp-1', days: 25,
    sessions: [gp('2024-01-20'), psy('2024-02-01'), social('2024-08-01', { rights: [{ right: 'CSS', status: 'GRANTED' }], screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }], treatments: [{ disease: 'HCV', status: 'STARTED' }] })],
    assessments: [{ timepoint: 'M6', on: '2024-07-15', days: 5, qol: 60 }],
    exit: { on: '2024-10-31', reason: 'GOALS_REACHED' },
  },
  {
    id: 'p3', ms: 'ms-A1', sex: 'FEMALE', age: 'AGE_45_54', included: '2024-02-01', gp: 'gp-2', days: 30,
    sessions: [social('2024-02-11', { screenings: [{ disease: 'HCV', status: 'PROPOSED' }] })],
    assessments: [{ timepoint: 'M6', on: '2024-08-01', days: 30, qol: 45 }],
  },
  { id: 'p4', ms: 'ms-A1', sex: 'MALE', age: 'AGE_25_34', included: '2024-03-01', gp: 'gp-2', days: 15, sessions: [psy('2024-03-31', { referrals: [{ partnerId: 'csapa-1', partnerType: 'CSAPA' }] }), gp('2024-09-15')] },
  { id: 'p5', ms: 'ms-A1', sex: 'FEMALE', age: 'AGE_18_24', included: '2024-04-10', gp: 'gp-1', days: 10, exit: { on: '2024-06-30', reason: 'LOST_TO_FOLLOW_UP' } },
  { id: 'p6', ms: 'ms-A1', sex: 'MALE', age: 'AGE_55_64', included: '2024-05-05', gp: 'gp-3', days: 0, sessions: [gp('2024-05-20', { screenings: [{ disease: 'HIV', status: 'DONE' }] })] },
  { id: 'p7', ms: 'ms-A1', sex: 'UNKNOWN', age: 'AGE_35_44', included: '2024-06-01', gp: 'gp-3', days: 5, sessions: [psy('2024-06-15', { referrals: [{ partnerId: 'caarud-1', partnerType: 'CAARUD' }] })] },
  { id: 'p8', ms: 'ms-A1', sex: 'FEMALE', age: 'AGE_25_34', included: '2022-05-01', gp: 'gp-1', days: 12, sessions: [gp('2024-11-05')] },
  {
    id: 'p9', ms: 'ms-A2', sex: 'FEMALE', age: 'AGE_18_24', included: '2024-04-01', gp: 'gp-4', days: 12,
    sessions: [psy('2024-04-08'), psy('2024-05-08'), psy('2024-06-08'), psy('2024-10-15')],
    assessments: [{ timepoint: 'M6', on: '2024-10-01', days: 2, qol: 55 }],
  },
  { id: 'p10', ms: 'ms-A2', sex: 'MALE', age: 'AGE_25_34', included: '2024-04-15', gp: 'gp-4', days: 8, reinclusion: true, sessions: [social('2024-05-01', { rights: [{ right: 'AME', status: 'GRANTED' }] })] },
  { id: 'p11', ms: 'ms-A2', sex: 'FEMALE', age: 'AGE_65_PLUS', included: '2024-09-01', gp: 'gp-4', days: 3 },
  { id: 'p12', ms: 'ms-B1', sex: 'MALE', age: 'AGE_35_44', included: '2024-02-01', gp: 'gp-5', days: 20, sessions: [gp('2024-03-01')], exit: { on: '2024-09-30', reason: 'MOVED' } },
  { id: 'p13', ms: 'ms-B1', sex: 'FEMALE', age: 'AGE_45_54', included: '2024-02-15', gp: 'gp-5', days: 18, sessions: [psy('2024-02-20')], exit: { on: '2024-09-30', reason: 'MOVED' } },
  { id: 'p14', ms: 'ms-C1', sex: 'FEMALE', age: 'AGE_25_34', included: '2024-07-05', gp: 'gp-6', sessions: [social('2024-07-10', { screenings: [{ disease: 'HCV', status: 'DONE', result: 'RNA_POSITIVE' }] })] },
  { id: 'p15', ms: 'ms-C1', sex: 'FEMALE', age: 'AGE_25_34', included: '2024-07-10', gp: 'gp-6', sessions: [psy('2024-07-20', { screenings: [{ disease: 'HCV', status: 'PROPOSED' }] })] },
  { id: 'p16', ms: 'ms-C1', sex: 'MALE', age: 'AGE_35_44', included: '2024-08-01', gp: 'gp-6' },
  { id: 'p17', ms: 'ms-C1', sex: 'MALE', age: 'AGE_45_54', included: '2024-08-15', gp: 'gp-7', sessions: [gp('2024-09-01')] },
  { id: 'p18', ms: 'ms-C1', sex: 'FEMALE', age: 'UNDER_18', included: '2024-09-01', gp: 'gp-7', sessions: [social('2024-09-10')] },
  { id: 'p19', ms: 'ms-C1', sex: 'OTHER', age: 'AGE_18_24', included: '2024-10-01', gp: 'gp-7' },
];

const networkOf = (ms: string) => MICROSTRUCTURES.find((m) => m.microstructureId === ms)!.networkId;

export const MEETINGS = [
  { meetingId: 'meet-1', ms: 'ms-A1', heldOn: '2024-01-25', reviewed: ['p1'] },
  { meetingId: 'meet-2', ms: 'ms-A1', heldOn: '2024-03-20', reviewed: ['p2', 'p3'] },
  { meetingId: 'meet-3', ms: 'ms-A1', heldOn: '2024-11-20', reviewed: ['p8', 'p4'] },
  { meetingId: 'meet-4', ms: 'ms-C1', heldOn: '2024-12-10', reviewed: ['p14'] },
];

/** Team members (directory) and the training hours they attended (training). */
export const MEMBERS = [
  { professionalId: 'pro-a1', microstructureId: 'ms-A1', networkId: 'net-A', startedOn: '2023-06-01' },
  { professionalId: 'pro-a2', microstructureId: 'ms-A1', networkId: 'net-A', startedOn: '2023-06-01' },
  { professionalId: 'pro-a3', microstructureId: 'ms-A2', networkId: 'net-A', startedOn: '2024-03-15' },
  { professionalId: 'pro-a4', microstructureId: 'ms-A1', networkId: 'net-A', startedOn: '2023-06-01', endedOn: '2023-12-31' },
  { professionalId: 'pro-c1', microstructureId: 'ms-C1', networkId: 'net-C', startedOn: '2024-07-01' },
];
export const ATTENDANCES = [
  { trainingId: 'tr-1', sessionId: 'tr-1-s1', registrationId: 'reg-1', professionalId: 'pro-a1', networkId: 'net-A', sessionDate: '2024-03-10', hours: 6, microstructureId: 'ms-A1' },
  { trainingId: 'tr-2', sessionId: 'tr-2-s1', registrationId: 'reg-2', professionalId: 'pro-a1', networkId: 'net-A', sessionDate: '2024-10-05', hours: 3.5, microstructureId: 'ms-A1' },
  { trainingId: 'tr-1', sessionId: 'tr-1-s1', registrationId: 'reg-3', professionalId: 'pro-a2', networkId: 'net-A', sessionDate: '2024-03-10', hours: 6, microstructureId: 'ms-A1' },
  { trainingId: 'tr-3', sessionId: 'tr-3-s1', registrationId: 'reg-4', professionalId: 'pro-c1', networkId: 'net-C', sessionDate: '2024-11-28', hours: 2, microstructureId: 'ms-C1' },
  // Recorded before AttendanceRecorded v2: no microstructure.

  { trainingId: 'tr-0', sessionId: 'tr-0-s1', registrationId: 'reg-5', professionalId: 'pro-a4', networkId: 'net-A', sessionDate: '2023-11-20', hours: 7 },
];

/** The whole history, in an order a bus may deliver it (per key in order, keys interleaved). */
export function knownHistory(): IntegrationEvent[] {
  counter = 0;
  const events: IntegrationEvent[] = [];
  for (const n of NETWORKS) events.push(event('directory.NetworkCreated', n.networkId, n));
  for (const m of MICROSTRUCTURES) {
    events.push(event('directory.MicrostructureCreated', m.microstructureId, { microstructureId: m.microstructureId, networkId: m.networkId, name: m.name, kind: m.kind, department: m.department }));
    if (m.openedOn) events.push(event('directory.MicrostructureOpened', m.microstructureId, { microstructureId: m.microstructureId, networkId: m.networkId, kind: m.kind, department: m.department, openedOn: m.openedOn }));
    if (m.closedOn) events.push(event('directory.MicrostructureClosed', m.microstructureId, { microstructureId: m.microstructureId, networkId: m.networkId, closedOn: m.closedOn }));
  }
  events.push(event('directory.NetworkDepartmentsChanged', 'net-A', { networkId: 'net-A', departments: ['67', '68', '57'] }));
  for (const m of MEMBERS) events.push(event('directory.ProfessionalRegistered', m.professionalId, { professionalId: m.professionalId, profession: 'PSYCHOLOGIST', displayName: `Pro ${m.professionalId}` }));
  for (const m of MEMBERS) {
    const { endedOn, ...started } = m;
    events.push(event('directory.MembershipStarted', m.microstructureId, { ...started, profession: 'PSYCHOLOGIST', role: 'MEMBER' }));
    if (endedOn) events.push(event('directory.MembershipEnded', m.microstructureId, { professionalId: m.professionalId, microstructureId: m.microstructureId, networkId: m.networkId, startedOn: m.startedOn, endedOn }));
  }
  for (const a of ATTENDANCES) events.push(event('training.AttendanceRecorded', a.trainingId, { ...a, profession: 'PSYCHOLOGIST' }));
  // An event the facts do not use: kept in the inbox, changes nothing.
  events.push(event('directory.PartnerAdded', 'ms-A1', { microstructureId: 'ms-A1', networkId: 'net-A', partnerId: 'csapa-1', name: 'CSAPA Strasbourg', partnerType: 'CSAPA' }));
  for (const p of PATIENTS) {
    const placed = { patientId: p.id, microstructureId: p.ms, networkId: networkOf(p.ms) };
    const inclusionId = `inc-${p.id}`;
    events.push(
      event('inclusions.PatientIncluded', p.id, {
        inclusionId, ...placed, includedOn: p.included, reasons: ['ADDICTION'], reinclusion: p.reinclusion ?? false, sex: p.sex, ageBand: p.age,
        initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: p.days ?? 0 },
        teamConsent: true, partnerSharingCount: 0, treatingGpId: p.gp,
      }),
    );
    const dated = [
      ...(p.sessions ?? []).map((s, i) => ({ on: s.on, make: () => event('inclusions.FollowUpSessionRecorded', p.id, {
        sessionId: `ses-${p.id}-${i}`, inclusionId, ...placed, kind: s.kind, heldOn: s.on, professionalId: 'pro-1', durationMinutes: 45,
        outcomes: { screenings: s.screenings ?? [], rights: s.rights ?? [], referrals: s.referrals ?? [], treatments: s.treatments ?? [] },
      }) })),
      ...(p.assessments ?? []).map((a) => ({ on: a.on, make: () => event('inclusions.AssessmentRecorded', p.id, {
        inclusionId, ...placed, timepoint: a.timepoint, assessedOn: a.on, daysOfUseLast30: a.days, qualityOfLifeScore: a.qol, housing: 'STABLE', employment: 'EMPLOYED', healthCoverage: 'FULL',
      }) })),
    ].sort((a, b) => a.on.localeCompare(b.on));
    for (const item of dated) events.push(item.make());
    if (p.exit) events.push(event('inclusions.ExitRecorded', p.id, { inclusionId, ...placed, exitedOn: p.exit.on, reason: p.exit.reason }));
  }
  for (const m of MEETINGS) {
    const placed = { meetingId: m.meetingId, microstructureId: m.ms, networkId: networkOf(m.ms) };
    events.push(event('meetings.MeetingHeld', m.meetingId, { ...placed, heldOn: m.heldOn, durationMinutes: 60, attendeeCount: 3, reviewedCount: m.reviewed.length }));
    for (const patientId of m.reviewed) events.push(event('meetings.CaseReviewed', m.meetingId, { ...placed, patientId, heldOn: m.heldOn, decisions: ['NO_CHANGE'], nextReviewOn: '2025-03-01' }));
  }
  // The same meeting announced as held a second time (another event id): it still counts once.
  events.push(event('meetings.MeetingHeld', 'meet-1', { meetingId: 'meet-1', microstructureId: 'ms-A1', networkId: 'net-A', heldOn: '2024-01-26', durationMinutes: 60, attendeeCount: 3, reviewedCount: 1 }));
  events.push(event('meetings.MeetingCancelled', 'meet-5', { meetingId: 'meet-5', microstructureId: 'ms-A1', networkId: 'net-A', scheduledOn: '2024-05-15', cancelledOn: '2024-05-10' }));
  return events;
}
