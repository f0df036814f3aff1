import { addDays, daysBetween } from './dates';
import { fictionalNir, firstName, surname } from './fictional';
import {
  AgeBand,
  AssessmentAct,
  ExitAct,
  ExitReason,
  HealthCoverage,
  InclusionAct,
  InclusionReason,
  InitialSituation,
  PartnerType,
  PatientIdentity,
  PlannedMicrostructure,
  Profession,
  SESSION_KIND_OF,
  SessionAct,
  SessionOutcomes,
  Sex,
  Substance,
} from './plan.types';
import { Random } from './random';

// One patient's inclusion and what follows it, planned at once: sessions of each profession of the
// team, screenings, rights, referrals, assessments at INCLUSION/M6/M12, and the exit. Shapes follow
// docs/domain.md and the published figures (≈80 % accept HCV screening when it is proposed; tens of
// sessions a year; women about 40 % of the caseload in addiction microstructures).

const AGE_BANDS: Record<AgeBand, [number, number, number]> = {
  // weight, youngest, oldest
  UNDER_18: [1, 15, 17],
  AGE_18_24: [8, 18, 24],
  AGE_25_34: [22, 25, 34],
  AGE_35_44: [27, 35, 44],
  AGE_45_54: [23, 45, 54],
  AGE_55_64: [13, 55, 64],
  AGE_65_PLUS: [6, 65, 84],
};

/** Age in whole years at `on`, and its band: the inclusions service's rule. */
export function ageBandAt(birthDate: string, on: string): AgeBand {
  const age = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (on.slice(5) < birthDate.slice(5) ? 1 : 0);
  if (age < 18) return 'UNDER_18';
  if (age < 25) return 'AGE_18_24';
  if (age < 35) return 'AGE_25_34';
  if (age < 45) return 'AGE_35_44';
  if (age < 55) return 'AGE_45_54';
  if (age < 65) return 'AGE_55_64';
  return 'AGE_65_PLUS';
}

export interface NewPatient {
  patientId: string;
  identity: PatientIdentity;
}

export function newPatient(random: Random, microstructure: PlannedMicrostructure, includedOn: string, order: number, taken: Set<string>): NewPatient {
  const sex: Sex = random.weighted(microstructure.kind === 'ADDICTION' ? { MALE: 60, FEMALE: 39, OTHER: 0.5, UNKNOWN: 0.5 } : { MALE: 42, FEMALE: 57, OTHER: 0.5, UNKNOWN: 0.5 });
  const band = random.weighted(Object.fromEntries(Object.entries(AGE_BANDS).map(([b, [weight]]) => [b, weight])) as Record<AgeBand, number>);
  const [, youngest, oldest] = AGE_BANDS[band];
  const age = random.int(youngest, oldest);
  const birthDate = addDays(includedOn, -Math.round(age * 365.25) - random.int(1, 360));
  let lastName = surname(random);
  let first = firstName(random, sex);
  // Two patients of one team never share a name: the team tells them apart, and so does --if-empty.
  for (let attempt = 0; taken.has(`${lastName}|${first}`); attempt++) {
    lastName = attempt < 20 ? surname(random) : `${surname(random)}-${surname(random)}`;
    first = firstName(random, sex);
  }
  taken.add(`${lastName}|${first}`);
  const withNir = (sex === 'FEMALE' || sex === 'MALE') && random.chance(0.4);
  return {
    patientId: random.uuid(),
    identity: {
      lastName,
      firstName: first,
      birthDate,
      sex,
      contact: 'Patient fictif (données générées)',
      ...(withNir && { socialSecurityNumber: fictionalNir(sex, birthDate, microstructure.department.slice(0, 2), order) }),
    },
  };
}

function reasonsFor(random: Random, kind: PlannedMicrostructure['kind']): InclusionReason[] {
  const main: InclusionReason = kind === 'ADDICTION' ? (random.chance(0.88) ? 'ADDICTION' : 'MENTAL_HEALTH') : random.chance(0.9) ? 'MENTAL_HEALTH' : 'ADDICTION';
  const reasons = new Set<InclusionReason>([main]);
  if (random.chance(0.35)) reasons.add('PRECARITY');
  if (random.chance(0.2)) reasons.add(main === 'ADDICTION' ? 'MENTAL_HEALTH' : 'ADDICTION');
  if (random.chance(0.04)) reasons.add('OTHER');
  const order: InclusionReason[] = ['ADDICTION', 'MENTAL_HEALTH', 'PRECARITY', 'OTHER'];
  return order.filter((reason) => reasons.has(reason));
}

function situationFor(random: Random, reasons: InclusionReason[]): InitialSituation {
  const precarious = reasons.includes('PRECARITY');
  const substances = new Set<Substance>();
  if (reasons.includes('ADDICTION')) {
    substances.add(random.weighted({ ALCOHOL: 40, OPIOIDS: 25, CANNABIS: 15, COCAINE: 12, OTHER: 3, TOBACCO: 5 }));
    if (random.chance(0.6)) substances.add('TOBACCO');
    if (random.chance(0.2)) substances.add(random.pick(['CANNABIS', 'COCAINE', 'ALCOHOL'] as Substance[]));
  }
  const order: Substance[] = ['ALCOHOL', 'TOBACCO', 'CANNABIS', 'OPIOIDS', 'COCAINE', 'OTHER'];
  return {
    housing: precarious ? random.weighted({ PRECARIOUS: 45, HOMELESS: 30, INSTITUTION: 10, STABLE: 15 }) : random.weighted({ STABLE: 80, PRECARIOUS: 12, INSTITUTION: 3, UNKNOWN: 5 }),
    income: precarious ? random.weighted({ NONE: 40, BENEFITS: 45, OTHER: 10, UNKNOWN: 5 }) : random.weighted({ EMPLOYMENT: 45, BENEFITS: 35, NONE: 8, OTHER: 5, UNKNOWN: 7 }),
    healthCoverage: precarious ? random.weighted({ NONE: 30, CSS: 40, AME: 10, FULL: 15, UNKNOWN: 5 }) : random.weighted({ FULL: 70, CSS: 22, NONE: 3, UNKNOWN: 5 }),
    mainSubstances: order.filter((s) => substances.has(s)),
    daysOfUseLast30: substances.size === 0 ? 0 : random.int(4, 30),
  };
}

const EXIT_REASONS: Record<ExitReason, number> = { GOALS_REACHED: 30, LOST_TO_FOLLOW_UP: 24, REFERRED_TO_SPECIALISED_CENTRE: 14, PATIENT_CHOICE: 12, MOVED: 10, OTHER: 7, DECEASED: 3 };
const MONTH = 30.44;

export interface PlannedInclusion {
  acts: (InclusionAct | SessionAct | AssessmentAct | ExitAct)[];
  exitOn?: string;
  exitReason?: ExitReason;
}

interface Context {
  microstructure: PlannedMicrostructure;
  random: Random;
  endDate: string;
  uuid: () => string;
}

const membersOf = (microstructure: PlannedMicrostructure, profession: Profession) => microstructure.members.filter((m) => m.profession === profession);

/** The whole inclusion: dated acts in the order they happen, all between the inclusion and the exit, none after `endDate`. */
export function planInclusion(context: Context, patient: NewPatient, includedOn: string, reinclusion: boolean): PlannedInclusion {
  const { microstructure, random, endDate } = context;
  const gps = membersOf(microstructure, 'GENERAL_PRACTITIONER');
  const treatingGp = random.pick(gps);
  const reasons = reasonsFor(random, microstructure.kind);
  const situation = situationFor(random, reasons);
  const base = { microstructureId: microstructure.id, networkId: microstructure.networkId, patientId: patient.patientId, inclusionId: context.uuid() };
  const sharing = random.chance(0.3) ? microstructure.partners.slice(0, random.int(1, 2)).map((p) => p.id) : [];
  const inclusion: InclusionAct = {
    kind: 'inclusion',
    on: includedOn,
    ...base,
    by: treatingGp.id,
    reinclusion,
    identity: patient.identity,
    ageBand: ageBandAt(patient.identity.birthDate, includedOn),
    reasons,
    treatingGpId: treatingGp.id,
    consentGivenOn: random.chance(0.8) ? includedOn : addDays(includedOn, -random.int(1, 10)),
    partnerSharing: sharing,
    initialSituation: situation,
  };

  // How long the patient is followed; a patient lost to follow-up is exited months after the last contact.
  const exitReason = random.weighted(EXIT_REASONS);
  const stayDays = Math.max(20, Math.round(-Math.log(1 - random.next()) * 400));
  const contactEnd = addDays(includedOn, stayDays);
  const exitOn = exitReason === 'LOST_TO_FOLLOW_UP' ? addDays(contactEnd, random.int(150, 200)) : addDays(contactEnd, random.int(0, 14));
  const lastDay = contactEnd < endDate ? contactEnd : endDate;

  const sessions = planSessions(context, base, includedOn, lastDay, treatingGp.id, reasons, situation);
  const assessments = planAssessments(context, base, includedOn, lastDay, situation, sessions);
  const acts: PlannedInclusion['acts'] = [inclusion, ...[...sessions, ...assessments].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))];
  if (exitOn > endDate) return { acts };
  const lastContact = acts.reduce((latest, act) => (act.on > latest ? act.on : latest), includedOn);
  const exit: ExitAct = { kind: 'exit', on: exitOn < lastContact ? lastContact : exitOn, ...base, by: treatingGp.id, reason: exitReason };
  return { acts: [...acts, exit], exitOn: exit.on, exitReason };
}

type Base = { microstructureId: string; networkId: string; patientId: string; inclusionId: string };

/** Dates of a professional's sessions: `perMonth` on average, from `firstOn` to `lastDay`, busier in the first three months. */
function sessionDates(random: Random, firstOn: string, lastDay: string, perMonth: number): string[] {
  const dates: string[] = [];
  const span = daysBetween(firstOn, lastDay);
  for (let month = 0; month * MONTH <= span; month++) {
    const count = random.poisson(perMonth * (month < 3 ? 1.3 : 1));
    for (let i = 0; i < count; i++) {
      const offset = Math.floor(month * MONTH + random.next() * MONTH);
      if (offset <= span) dates.push(addDays(firstOn, offset));
    }
  }
  return dates.sort();
}

function planSessions(context: Context, base: Base, includedOn: string, lastDay: string, gpId: string, reasons: InclusionReason[], situation: InitialSituation): SessionAct[] {
  const { microstructure, random } = context;
  const [psychologist] = membersOf(microstructure, 'PSYCHOLOGIST');
  const [socialWorker] = membersOf(microstructure, 'SOCIAL_WORKER');
  const [psychiatrist] = membersOf(microstructure, 'PSYCHIATRIST');
  const precarious = reasons.includes('PRECARITY') || situation.housing === 'HOMELESS' || situation.healthCoverage === 'NONE';
  const plan: { by: string; profession: Profession; dates: string[] }[] = [{ by: gpId, profession: 'GENERAL_PRACTITIONER', dates: [includedOn, ...sessionDates(random, addDays(includedOn, 7), lastDay, 0.9)] }];
  if (psychologist && random.chance(microstructure.kind === 'MENTAL_HEALTH' ? 0.9 : 0.7)) {
    plan.push({ by: psychologist.id, profession: 'PSYCHOLOGIST', dates: sessionDates(random, addDays(includedOn, random.int(3, 45)), lastDay, 1.1) });
  }
  if (socialWorker && random.chance(precarious ? 0.85 : 0.35)) {
    plan.push({ by: socialWorker.id, profession: 'SOCIAL_WORKER', dates: sessionDates(random, addDays(includedOn, random.int(3, 60)), lastDay, 0.6) });
  }
  if (psychiatrist && random.chance(0.2)) plan.push({ by: psychiatrist.id, profession: 'PSYCHIATRIST', dates: sessionDates(random, addDays(includedOn, random.int(20, 90)), lastDay, 0.3) });

  const sessions = plan.flatMap(({ by, profession, dates }) =>
    dates
      .filter((on) => on <= lastDay)
      .map((on): SessionAct => ({ kind: 'session', on, ...base, by, sessionId: context.uuid(), sessionKind: SESSION_KIND_OF[profession], durationMinutes: duration(random, profession), outcomes: { screenings: [], rights: [], referrals: [] } })),
  );
  const byKind = (kind: SessionAct['sessionKind']) => sessions.filter((s) => s.sessionKind === kind).sort((a, b) => (a.on < b.on ? -1 : 1));
  addScreenings(random, byKind('GP_CONSULTATION'), reasons, situation, microstructure);
  addRights(random, byKind('SOCIAL_WORK_INTERVIEW'), situation);
  addReferral(random, sessions, reasons, microstructure);
  return sessions;
}

function duration(random: Random, profession: Profession): number {
  switch (profession) {
    case 'GENERAL_PRACTITIONER':
      return random.pick([15, 20, 20, 30, 30, 45]);
    case 'PSYCHOLOGIST':
      return random.pick([45, 45, 60, 60, 50]);
    case 'SOCIAL_WORKER':
      return random.pick([30, 45, 60, 60, 90]);
    default:
      return random.pick([30, 45]);
  }
}

/** HCV proposed at an early consultation, done at a later one for ≈80 %; HIV and HBV often with it. */
function addScreenings(random: Random, consultations: SessionAct[], reasons: InclusionReason[], situation: InitialSituation, microstructure: PlannedMicrostructure) {
  if (consultations.length < 2) return;
  const injects = situation.mainSubstances.includes('OPIOIDS') || situation.mainSubstances.includes('COCAINE');
  const proposal = reasons.includes('ADDICTION') ? (injects ? 0.8 : 0.45) : 0.15;
  if (!random.chance(proposal)) return;
  const proposedAt = consultations[random.int(0, Math.min(1, consultations.length - 2))];
  proposedAt.outcomes.screenings.push({ disease: 'HCV', status: 'PROPOSED' });
  if (!random.chance(0.8)) return;
  const later = consultations.filter((c) => c.on > proposedAt.on);
  if (later.length === 0) return;
  const doneAt = later[random.int(0, Math.min(2, later.length - 1))];
  const result = injects ? random.weighted({ NEGATIVE: 80, POSITIVE: 8, RNA_POSITIVE: 12 } as const) : random.weighted({ NEGATIVE: 95, POSITIVE: 3, RNA_POSITIVE: 2 } as const);
  doneAt.outcomes.screenings.push({ disease: 'HCV', status: 'DONE', result });
  if (random.chance(0.6)) doneAt.outcomes.screenings.push({ disease: 'HIV', status: 'DONE', result: random.chance(0.98) ? 'NEGATIVE' : 'POSITIVE' });
  if (random.chance(0.4)) doneAt.outcomes.screenings.push({ disease: 'HBV', status: 'DONE', result: random.chance(0.97) ? 'NEGATIVE' : 'POSITIVE' });
  // About half of the RNA-positive patients go to the hospital's hepatology for treatment.
  const hospital = microstructure.partners.find((p) => p.type === 'HOSPITAL');
  if (result === 'RNA_POSITIVE' && hospital && random.chance(0.55)) doneAt.outcomes.referrals.push({ partnerId: hospital.id, partnerType: 'HOSPITAL' });
}

/** Health coverage, housing and income applied for at a social-work interview, granted at a later one for many. */
function addRights(random: Random, interviews: SessionAct[], situation: InitialSituation) {
  if (interviews.length === 0) return;
  const claims: { right: SessionOutcomes['rights'][number]['right']; applyChance: number; grantChance: number }[] = [];
  if (situation.healthCoverage === 'NONE' || situation.healthCoverage === 'UNKNOWN') claims.push({ right: random.chance(0.35) ? 'AME' : 'CSS', applyChance: 0.9, grantChance: 0.85 });
  if (situation.housing === 'HOMELESS' || situation.housing === 'PRECARIOUS') claims.push({ right: 'HOUSING', applyChance: 0.6, grantChance: 0.35 });
  if (situation.income === 'NONE') claims.push({ right: 'INCOME', applyChance: 0.5, grantChance: 0.6 });
  for (const claim of claims) {
    if (!random.chance(claim.applyChance)) continue;
    const appliedIndex = random.int(0, Math.min(1, interviews.length - 1));
    interviews[appliedIndex].outcomes.rights.push({ right: claim.right, status: 'APPLIED' });
    const later = interviews.slice(appliedIndex + 1).filter((i) => daysBetween(interviews[appliedIndex].on, i.on) >= 21);
    if (later.length > 0 && random.chance(claim.grantChance)) random.pick(later).outcomes.rights.push({ right: claim.right, status: 'GRANTED' });
  }
}

function addReferral(random: Random, sessions: SessionAct[], reasons: InclusionReason[], microstructure: PlannedMicrostructure) {
  if (sessions.length === 0 || microstructure.partners.length === 0 || !random.chance(0.35)) return;
  const wanted: PartnerType[] = reasons.includes('ADDICTION') ? ['CSAPA', 'CAARUD'] : reasons.includes('MENTAL_HEALTH') ? ['CMP', 'HOSPITAL'] : ['SOCIAL_SERVICE', 'ASSOCIATION'];
  const partner = microstructure.partners.find((p) => wanted.includes(p.type)) ?? random.pick(microstructure.partners);
  const session = random.pick(sessions);
  if (session.outcomes.referrals.some((r) => r.partnerId === partner.id)) return;
  session.outcomes.referrals.push({ partnerId: partner.id, partnerType: partner.type });
}

function planAssessments(context: Context, base: Base, includedOn: string, lastDay: string, situation: InitialSituation, sessions: SessionAct[]): AssessmentAct[] {
  const { microstructure, random } = context;
  const psychologistId = sessions.find((s) => s.sessionKind === 'PSYCHOLOGIST_SESSION')?.by;
  const gpId = sessions.find((s) => s.sessionKind === 'GP_CONSULTATION')?.by ?? microstructure.members[0].id;
  const employment = situation.income === 'EMPLOYMENT' ? 'EMPLOYED' : situation.income === 'BENEFITS' ? 'UNEMPLOYED' : random.pick(['INACTIVE', 'UNEMPLOYED', 'UNKNOWN'] as const);
  const quality = random.int(25, 55);
  const timepoints = [
    { timepoint: 'INCLUSION', on: addDays(includedOn, random.int(0, 14)), chance: 0.85, use: 1, gain: 0 },
    { timepoint: 'M6', on: addDays(includedOn, 182 + random.int(-20, 20)), chance: 0.75, use: 0.6, gain: 8 },
    { timepoint: 'M12', on: addDays(includedOn, 365 + random.int(-20, 20)), chance: 0.65, use: 0.45, gain: 14 },
  ] as const;
  const improved: HealthCoverage = situation.healthCoverage === 'NONE' ? random.pick(['CSS', 'AME', 'NONE'] as const) : situation.healthCoverage;
  return timepoints
    .filter((t) => t.on <= lastDay && random.chance(t.chance))
    .map((t) => ({
      kind: 'assessment',
      on: t.on,
      ...base,
      by: psychologistId ?? gpId,
      timepoint: t.timepoint,
      daysOfUseLast30: Math.max(0, Math.min(30, Math.round(situation.daysOfUseLast30 * t.use + random.normal() * 2))),
      qualityOfLifeScore: Math.max(0, Math.min(100, Math.round(quality + t.gain + random.normal() * 6))),
      housing: situation.housing,
      employment,
      healthCoverage: t.timepoint === 'INCLUSION' ? situation.healthCoverage : improved,
    }));
}

