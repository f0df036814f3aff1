import { z } from 'zod';
import { defineContract } from '../contract';

// What the inclusions service tells the others about patients: a pseudonymous patient id and coarse
// attributes (sex, age band, codes), never a name, a birth date or year, a contact, a social security
// number, the encrypted identity or free text (DOMAIN.md, confidentiality).
//
// Every object is `.strict()`, unlike the directory's: the relay publishes the payload it validated as
// the translator built it, so a field the contract does not know would travel unseen; here it is
// refused at publication instead. The price: a field added to a payload is a new contract version
// (which a consumer not yet upgraded parks), never a silent addition to v1.
//
// Key: the PATIENT id for every event of the topic, not the inclusion id. A patient's exit, re-inclusion
// and erasure then stay in one partition, in the order they were recorded, so that a consumer never
// sees a re-inclusion before the exit it follows, or an erasure before the patient's inclusion.

const id = z.string().min(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue');
const count = (max: number) => z.number().int().min(0).max(max);

// The domain's codes, spelt as in `libs/domain/inclusions` (a contract does not import a domain; the
// inclusions service's integration spec checks that the two lists stay equal).
export const INCLUSIONS_CONTRACT_CODES = {
  sexes: ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'],
  ageBands: ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_64', 'AGE_65_PLUS'],
  inclusionReasons: ['ADDICTION', 'MENTAL_HEALTH', 'PRECARITY', 'OTHER'],
  housingSituations: ['STABLE', 'PRECARIOUS', 'HOMELESS', 'INSTITUTION', 'UNKNOWN'],
  incomeSources: ['EMPLOYMENT', 'BENEFITS', 'NONE', 'OTHER', 'UNKNOWN'],
  healthCoverages: ['FULL', 'CSS', 'AME', 'NONE', 'UNKNOWN'],
  substances: ['ALCOHOL', 'TOBACCO', 'CANNABIS', 'OPIOIDS', 'COCAINE', 'OTHER'],
  employmentSituations: ['EMPLOYED', 'UNEMPLOYED', 'INACTIVE', 'UNKNOWN'],
  exitReasons: ['GOALS_REACHED', 'MOVED', 'REFERRED_TO_SPECIALISED_CENTRE', 'LOST_TO_FOLLOW_UP', 'DECEASED', 'PATIENT_CHOICE', 'OTHER'],
  sessionKinds: ['GP_CONSULTATION', 'PSYCHOLOGIST_SESSION', 'SOCIAL_WORK_INTERVIEW', 'PSYCHIATRIST_SESSION'],
  screenedDiseases: ['HCV', 'HIV', 'HBV'],
  screeningStatuses: ['PROPOSED', 'DONE'],
  screeningResults: ['POSITIVE', 'NEGATIVE', 'RNA_POSITIVE'],
  rights: ['CSS', 'AME', 'HOUSING', 'INCOME'],
  rightStatuses: ['APPLIED', 'GRANTED'],
  partnerTypes: ['CSAPA', 'CAARUD', 'HOSPITAL', 'CMP', 'PHARMACY', 'ASSOCIATION', 'SOCIAL_SERVICE', 'OTHER'],
  treatedDiseases: ['HCV'],
  treatmentStatuses: ['STARTED'],
} as const;

const codes = INCLUSIONS_CONTRACT_CODES;
const housing = z.enum(codes.housingSituations);
const healthCoverage = z.enum(codes.healthCoverages);
/** Programmes may configure timepoints beyond INCLUSION, M6 and M12 (e.g. M24): a code, not free text. */
const timepoint = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/, 'code de temps d’évaluation attendu');

/** The ids every event carries, so that consumers need no lookup to place it. */
const placed = { patientId: id, microstructureId: id, networkId: id };

export const INCLUSION_TOPIC = 'inclusions.inclusion.v1';

export const PatientIncluded = defineContract({
  type: 'inclusions.PatientIncluded',
  version: 1,
  topic: INCLUSION_TOPIC,
  schema: z
    .object({
      inclusionId: id,
      ...placed,
      includedOn: date,
      reasons: z.array(z.enum(codes.inclusionReasons)).min(1),
      reinclusion: z.boolean(),
      sex: z.enum(codes.sexes),
      ageBand: z.enum(codes.ageBands),
      initialSituation: z
        .object({
          housing,
          income: z.enum(codes.incomeSources),
          healthCoverage,
          mainSubstances: z.array(z.enum(codes.substances)),
          daysOfUseLast30: count(30),
        })
        .strict(),
      teamConsent: z.boolean(),
      // How many partners the patient agreed to share with; which ones stays in the team.
      partnerSharingCount: count(1000),
      treatingGpId: id,
    })
    .strict(),
});

const screening = z.object({ disease: z.enum(codes.screenedDiseases), status: z.enum(codes.screeningStatuses), result: z.enum(codes.screeningResults).optional() }).strict();
const rightsOutcome = z.object({ right: z.enum(codes.rights), status: z.enum(codes.rightStatuses) }).strict();
const referral = z.object({ partnerId: id, partnerType: z.enum(codes.partnerTypes) }).strict();
/** v2: a treatment outcome (HCV treatment started at the session), what `hcv_treatment_uptake` counts. */
const treatment = z.object({ disease: z.enum(codes.treatedDiseases), status: z.enum(codes.treatmentStatuses) }).strict();

/**
 * v2 adds `outcomes.treatments` (empty when nothing was started; a producer may leave it out). A v1
 * payload is upcast with no treatment, so that history still counts in every other indicator.
 */
export const FollowUpSessionRecorded = defineContract({
  type: 'inclusions.FollowUpSessionRecorded',
  version: 2,
  topic: INCLUSION_TOPIC,
  upcasters: [
    {
      from: 1,
      upcast: (payload) => {
        const v1 = payload as { outcomes?: Record<string, unknown> } & Record<string, unknown>;
        return v1 && typeof v1 === 'object' && v1.outcomes && typeof v1.outcomes === 'object' ? { ...v1, outcomes: { ...v1.outcomes, treatments: [] } } : v1;
      },
    },
  ],
  schema: z
    .object({
      sessionId: id,
      inclusionId: id,
      ...placed,
      kind: z.enum(codes.sessionKinds),
      heldOn: date,
      professionalId: id,
      durationMinutes: z.number().int().min(1).max(480),
      outcomes: z.object({ screenings: z.array(screening), rights: z.array(rightsOutcome), referrals: z.array(referral), treatments: z.array(treatment).default([]) }).strict(),
    })
    .strict(),
});

export const AssessmentRecorded = defineContract({
  type: 'inclusions.AssessmentRecorded',
  version: 1,
  topic: INCLUSION_TOPIC,
  schema: z
    .object({
      inclusionId: id,
      ...placed,
      timepoint,
      assessedOn: date,
      daysOfUseLast30: count(30),
      qualityOfLifeScore: count(100),
      housing,
      employment: z.enum(codes.employmentSituations),
      healthCoverage,
    })
    .strict(),
});

export const ExitRecorded = defineContract({
  type: 'inclusions.ExitRecorded',
  version: 1,
  topic: INCLUSION_TOPIC,
  schema: z.object({ inclusionId: id, ...placed, exitedOn: date, reason: z.enum(codes.exitReasons) }).strict(),
});

// The patient's identity was made unreadable (crypto-shredding). Counts and history stay: consumers
// keep the pseudonymous id; one that ever held anything more about this patient drops it.
export const PatientErased = defineContract({
  type: 'inclusions.PatientErased',
  version: 1,
  topic: INCLUSION_TOPIC,
  schema: z.object({ ...placed, erasedOn: date }).strict(),
});

export const inclusionsContracts = [PatientIncluded, FollowUpSessionRecorded, AssessmentRecorded, ExitRecorded, PatientErased];
