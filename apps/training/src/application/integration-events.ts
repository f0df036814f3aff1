import {
  messageOf,
  NationalDayRegistrationAnswered,
  NationalDayRegistrationRequested,
  TrainingAttendanceRecorded,
  TrainingCancelled,
  TrainingProfessionalRegistered,
  TrainingProfessionalWaitListed,
  TrainingPublished,
  TrainingRegistrationCancelled,
  TrainingUpdated,
  TrainingWaitListedProfessionalPromoted,
} from '@cnrms/contracts';
import { assertNever } from '@cnrms/decider';
import { isNationalDayRequestEvent, isTrainingEvent, NATIONAL_DAY_REQUEST_CATEGORY, TRAINING_STREAM_CATEGORIES, TrainingEvent } from '@cnrms/domain-training';
import { RecordedEvent } from '@cnrms/eventsourcing';
import { RelayDefinition } from '@cnrms/service-kit';

/**
 * What the other services learn from the training service: trainings with their sessions' dates, hours
 * and capacity, and per registration the professional's id, profession and counted network, its status
 * changes and the hours attended. Each field is copied by name, never by spreading a domain event: the
 * sessions' places and who published or recorded stay here. Keyed by training id.
 */
export function translateTrainingEvent(recorded: RecordedEvent) {
  if (isNationalDayRequestEvent(recorded)) return translateNationalDayEvent(recorded);
  if (!isTrainingEvent(recorded)) return null;
  const event = { type: recorded.type, data: recorded.data } as TrainingEvent;
  switch (event.type) {
    case 'TrainingPublished': {
      const { trainingId, networkId, kind, title, theme, format, audience, registrationClosesOn, sessions, publishedOn } = event.data;
      return messageOf(TrainingPublished, trainingId, {
        trainingId,
        networkId,
        kind,
        title,
        theme,
        format,
        audience,
        registrationClosesOn,
        sessions: sessions.map(({ sessionId, date, hours, capacity }) => ({ sessionId, date, hours, capacity })),
        publishedOn,
      });
    }
    case 'TrainingUpdated': {
      const { trainingId, networkId, title, theme, format, audience, registrationClosesOn, sessions, changes, affectedProfessionalIds, updatedOn } = event.data;
      return messageOf(TrainingUpdated, trainingId, {
        trainingId,
        networkId,
        title,
        theme,
        format,
        audience,
        registrationClosesOn,
        sessions: sessions.map(({ sessionId, date, hours, capacity }) => ({ sessionId, date, hours, capacity })),
        changes,
        affectedProfessionalIds,
        updatedOn,
      });
    }
    case 'TrainingCancelled': {
      const { trainingId, networkId, title, reason, affectedProfessionalIds, cancelledOn } = event.data;
      return messageOf(TrainingCancelled, trainingId, { trainingId, networkId, title, reason, affectedProfessionalIds, cancelledOn });
    }
    case 'ProfessionalRegistered': {
      const { trainingId, sessionId, registrationId, professionalId, networkId, profession, registeredAt } = event.data;
      return messageOf(TrainingProfessionalRegistered, trainingId, { trainingId, sessionId, registrationId, professionalId, networkId, profession, registeredAt });
    }
    case 'ProfessionalWaitListed': {
      const { trainingId, sessionId, registrationId, professionalId, networkId, profession, rank, waitListedAt } = event.data;
      return messageOf(TrainingProfessionalWaitListed, trainingId, { trainingId, sessionId, registrationId, professionalId, networkId, profession, rank, waitListedAt });
    }
    case 'WaitListedProfessionalPromoted': {
      const { trainingId, sessionId, registrationId, professionalId, networkId, profession, promotedAt } = event.data;
      return messageOf(TrainingWaitListedProfessionalPromoted, trainingId, { trainingId, sessionId, registrationId, professionalId, networkId, profession, promotedAt });
    }
    case 'RegistrationCancelled': {
      const { trainingId, sessionId, registrationId, professionalId, networkId, profession, previousStatus, cancelledAt } = event.data;
      return messageOf(TrainingRegistrationCancelled, trainingId, { trainingId, sessionId, registrationId, professionalId, networkId, profession, previousStatus, cancelledAt });
    }
    case 'AttendanceRecorded': {
      const { trainingId, sessionId, registrationId, professionalId, networkId, profession, sessionDate, hours, microstructureId } = event.data;
      return messageOf(TrainingAttendanceRecorded, trainingId, { trainingId, sessionId, registrationId, professionalId, networkId, profession, sessionDate, hours, microstructureId: microstructureId ?? null });
    }
    default:
      return assertNever(event, 'training event');
  }
}

/** National days across deployments: a region's request goes up, the national answer comes down (keyed by request id). */
function translateNationalDayEvent(recorded: RecordedEvent) {
  if (!isNationalDayRequestEvent(recorded)) return null;
  if (recorded.type === 'NationalDayRegistrationRequested') {
    const { requestId, trainingId, sessionId, professionalId, profession, memberNetworkIds, requestedAt } = recorded.data;
    return messageOf(NationalDayRegistrationRequested, requestId, { requestId, trainingId, sessionId, professionalId, profession, memberNetworkIds, requestedAt });
  }
  const { requestId, trainingId, sessionId, professionalId, outcome, rank, reasonCode, reason, answeredAt } = recorded.data;
  return messageOf(NationalDayRegistrationAnswered, requestId, { requestId, trainingId, sessionId, professionalId, outcome, rank, reasonCode, reason, answeredAt });
}

export const trainingRelay: RelayDefinition = {
  categories: [TRAINING_STREAM_CATEGORIES.training, NATIONAL_DAY_REQUEST_CATEGORY],
  translate: translateTrainingEvent,
};
