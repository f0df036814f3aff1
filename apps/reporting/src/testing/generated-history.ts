import { IntegrationEvent } from '@cnrms/messaging';
import { event } from './known-history';

/**
 * A seeded synthetic history for the disclosure-control specs: networks in regions, microstructures of two
 * kinds, patients included over one year (2024) with a sex and an age band, psychologist and GP sessions,
 * some exits. Each patient stays in one microstructure (so that every count is additive across
 * microstructures, the attacker's best case). Sizes range from a single network's first year to a few
 * hundred patients.
 */
export interface HistorySize {
  name: string;
  seed: number;
  networks: number;
  microstructuresPerNetwork: number;
  patients: number;
}

export interface GeneratedHistory {
  events: IntegrationEvent[];
  networks: { id: string; region: string }[];
  microstructures: { id: string; networkId: string; kind: string }[];
  /** Patients as the attacker would like to know them (to check recoveries), with their inclusion date. */
  patients: { id: string; microstructureId: string; networkId: string; sex: string; ageBand: string; includedOn: string }[];
}

const SEXES = ['FEMALE', 'MALE', 'FEMALE', 'MALE', 'UNKNOWN'];
const AGE_BANDS = ['AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64'];

/** mulberry32: small, seeded, good enough for test data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (month: number, dayOfMonth: number) => `2024-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;

export function generatedHistory(size: HistorySize, patientPrefix = 'gp'): GeneratedHistory {
  const next = random(size.seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const networks = Array.from({ length: size.networks }, (_, n) => ({ id: `${size.name}-net-${n + 1}`, region: `Région ${Math.floor(n / 2) + 1}` }));
  const microstructures = networks.flatMap((network, n) =>
    Array.from({ length: size.microstructuresPerNetwork }, (_, m) => ({ id: `${network.id}-ms-${m + 1}`, networkId: network.id, kind: (n + m) % 3 === 2 ? 'MENTAL_HEALTH' : 'ADDICTION' })),
  );
  const events: IntegrationEvent[] = [];
  for (const network of networks) events.push(event('directory.NetworkCreated', network.id, { networkId: network.id, name: network.id, region: network.region, regionCode: null, departments: ['67'] }));
  for (const ms of microstructures) {
    const placed = { microstructureId: ms.id, networkId: ms.networkId, kind: ms.kind, department: '67' };
    events.push(event('directory.MicrostructureCreated', ms.id, { ...placed, name: ms.id }));
    events.push(event('directory.MicrostructureOpened', ms.id, { ...placed, openedOn: '2023-12-01' }));
  }
  const patients: GeneratedHistory['patients'] = [];
  for (let p = 0; p < size.patients; p++) {
    // Uneven team sizes: some microstructures have few patients (small cells are the point).
    const ms = microstructures[Math.min(microstructures.length - 1, Math.floor(next() ** 1.6 * microstructures.length))];
    const month = 1 + Math.floor(next() * 12);
    const patient = { id: `${patientPrefix}-${size.name}-${p + 1}`, microstructureId: ms.id, networkId: ms.networkId, sex: pick(SEXES), ageBand: pick(AGE_BANDS), includedOn: day(month, 1 + Math.floor(next() * 27)) };
    patients.push(patient);
    events.push(...patientEvents(patient, next));
  }
  return { events, networks, microstructures, patients };
}

/** A patient's inclusion, sessions and maybe an exit, in date order. */
export function patientEvents(patient: GeneratedHistory['patients'][number], next: () => number = () => 0.5): IntegrationEvent[] {
  const placed = { patientId: patient.id, microstructureId: patient.microstructureId, networkId: patient.networkId };
  const inclusionId = `inc-${patient.id}`;
  const events = [
    event('inclusions.PatientIncluded', patient.id, {
      inclusionId, ...placed, includedOn: patient.includedOn, reasons: ['ADDICTION'], reinclusion: false, sex: patient.sex, ageBand: patient.ageBand,
      initialSituation: { housing: 'STABLE', income: 'EMPLOYMENT', healthCoverage: 'FULL', mainSubstances: ['ALCOHOL'], daysOfUseLast30: 10 },
      teamConsent: true, partnerSharingCount: 0, treatingGpId: `gp-${patient.microstructureId}`,
    }),
  ];
  const month = Number(patient.includedOn.slice(5, 7));
  const sessions = Math.floor(next() * 4);
  for (let s = 0; s < sessions && month + s + 1 <= 12; s++) {
    events.push(
      event('inclusions.FollowUpSessionRecorded', patient.id, {
        sessionId: `ses-${patient.id}-${s}`, inclusionId, ...placed, kind: next() < 0.5 ? 'PSYCHOLOGIST_SESSION' : 'GP_CONSULTATION', heldOn: day(month + s + 1, 10), professionalId: 'pro-1', durationMinutes: 45,
        outcomes: { screenings: [], rights: [], referrals: [] },
      }),
    );
  }
  if (next() < 0.2 && month + sessions + 1 <= 12) {
    events.push(event('inclusions.ExitRecorded', patient.id, { inclusionId, ...placed, exitedOn: day(month + sessions + 1, 20), reason: next() < 0.5 ? 'MOVED' : 'GOALS_REACHED' }));
  }
  return events;
}
