import { AssessmentRecorded, ExitRecorded, FollowUpSessionRecorded, messageOf, PatientErased, PatientIncluded } from '@cnrms/contracts';
import { assertNever, todayInFrance } from '@cnrms/decider';
import { INCLUSIONS_STREAM_CATEGORIES, InclusionsEvent, isInclusionsEvent, SessionOutcomes } from '@cnrms/domain-inclusions';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { RelayDefinition } from '@cnrms/service-kit';

/**
 * What the other services learn from the inclusions service: a pseudonymous patient id, ids of
 * professionals and partners, dates of care and codes. Each field is copied by name, never by spreading
 * a domain event, so that a field added to a domain event stays inside until a contract version says
 * otherwise. The identity (encrypted or not), the birth year, the consent's partners and the care plan's
 * free text never leave. Every message is keyed by the patient id (see inclusions.contracts.ts).
 */
export function translateInclusionsEvent(recorded: RecordedEvent) {
  if (!isInclusionsEvent(recorded)) return null;
  const event = { type: recorded.type, data: recorded.data } as InclusionsEvent;
  switch (event.type) {
    case 'PatientIncluded': {
      const { inclusionId, patientId, microstructureId, networkId, includedOn, reasons, reinclusion, profile, consent, treatingGpId } = event.data;
      const { housing, income, healthCoverage, mainSubstances, daysOfUseLast30 } = event.data.initialSituation;
      return messageOf(PatientIncluded, patientId, {
        inclusionId,
        patientId,
        microstructureId,
        networkId,
        includedOn,
        reasons,
        reinclusion,
        sex: profile.sex,
        ageBand: profile.ageBand,
        initialSituation: { housing, income, healthCoverage, mainSubstances, daysOfUseLast30 },
        teamConsent: consent.teamSharing,
        partnerSharingCount: consent.partnerSharing.length,
        treatingGpId,
      });
    }
    case 'FollowUpSessionRecorded': {
      const { sessionId, inclusionId, patientId, microstructureId, networkId, kind, heldOn, professionalId, durationMinutes, outcomes } = event.data;
      return messageOf(FollowUpSessionRecorded, patientId, {
        sessionId,
        inclusionId,
        patientId,
        microstructureId,
        networkId,
        kind,
        heldOn,
        professionalId,
        durationMinutes,
        outcomes: outcomeCodes(outcomes),
      });
    }
    case 'AssessmentRecorded': {
      const { inclusionId, patientId, microstructureId, networkId, timepoint, assessedOn, daysOfUseLast30, qualityOfLifeScore, housing, employment, healthCoverage } = event.data;
      return messageOf(AssessmentRecorded, patientId, {
        inclusionId,
        patientId,
        microstructureId,
        networkId,
        timepoint,
        assessedOn,
        daysOfUseLast30,
        qualityOfLifeScore,
        housing,
        employment,
        healthCoverage,
      });
    }
    case 'ExitRecorded': {
      const { inclusionId, patientId, microstructureId, networkId, exitedOn, reason } = event.data;
      return messageOf(ExitRecorded, patientId, { inclusionId, patientId, microstructureId, networkId, exitedOn, reason });
    }
    case 'IdentityErased': {
      const { patientId, microstructureId, networkId, erasedAt } = event.data;
      // The patient decider has recorded both since before the first erasure; an event without them
      // cannot be placed, and a relay stopped for a fix is better than an erasure published incomplete
      // or not at all.
      if (!microstructureId || !networkId) throw new Error(`IdentityErased ${recorded.metadata.eventId} lacks its microstructure or network: it cannot be published`);
      // The day only, in France: when to the minute the key was destroyed is nobody else's business.
      return messageOf(PatientErased, patientId, { patientId, microstructureId, networkId, erasedOn: todayInFrance(new Date(erasedAt)) });
    }
    // The encrypted identity and the birth year stay here: PatientIncluded carries sex and age band.
    case 'PatientRegistered':
    // Goals and next steps are free text about the patient.
    case 'CarePlanRevised':
    // The guard of one open inclusion per patient and microstructure: PatientIncluded says `reinclusion`.
    case 'PatientCaseOpened':
    case 'PatientCaseClosed':
      return null;
    default:
      return assertNever(event, 'inclusions event');
  }
}

function outcomeCodes({ screenings, rights, referrals, treatments }: SessionOutcomes): Required<SessionOutcomes> {
  return {
    screenings: screenings.map(({ disease, status, result }) => (result === undefined ? { disease, status } : { disease, status, result })),
    rights: rights.map(({ right, status }) => ({ right, status })),
    referrals: referrals.map(({ partnerId, partnerType }) => ({ partnerId, partnerType })),
    // FollowUpSessionRecorded v2: the treatments started, none for the sessions recorded before.
    treatments: (treatments ?? []).map(({ disease, status }) => ({ disease, status })),
  };
}

/** The patient and inclusion streams; the patient-case guard streams tell nothing PatientIncluded does not. */
export const inclusionsRelay: RelayDefinition = {
  categories: [INCLUSIONS_STREAM_CATEGORIES.patient, INCLUSIONS_STREAM_CATEGORIES.inclusion],
  translate: translateInclusionsEvent,
};
