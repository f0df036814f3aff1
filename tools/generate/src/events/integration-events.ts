import {
  AssessmentRecorded,
  CaseReviewed,
  ExitRecorded,
  FollowUpSessionRecorded,
  MeetingCancelled,
  MeetingHeld,
  MembershipStarted,
  messageOf,
  MicrostructureCreated,
  MicrostructureOpened,
  NetworkCreated,
  NetworkMeetingHeld,
  PartnerAdded,
  PatientIncluded,
  ProfessionalRegistered,
} from '@cnrms/contracts';
import { IntegrationEvent } from '@cnrms/messaging';
import { ActivityAct, PlannedDirectory, PlannedMicrostructure } from '../plan/plan.types';
import { REGIONS } from '../plan/fictional';
import { Random } from '../plan/random';

/**
 * What the services would publish for a plan: the integration events of `libs/contracts`, field for
 * field as the directory's, inclusions' and meetings' translators build them (same keys: network,
 * microstructure and professional ids; the patient id; the meeting id). Built with `messageOf`, so
 * the compiler checks each payload against its contract; the bulk driver validates them with zod too.
 */

type Message = ReturnType<typeof messageOf>;

export class EnvelopeFactory {
  private sequence = 0;

  constructor(private readonly random: Random) {}

  /** The envelope of the events of one command: ids drawn from the seed, a time in the working day of `on`. */
  wrap(messages: Message[], on: string, networkId: string | null): IntegrationEvent[] {
    const correlationId = this.random.uuid();
    const minutes = 8 * 60 + (this.sequence++ % 600);
    const occurredAt = `${on}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000Z`;
    return messages.map((message) => ({ ...message, eventId: this.random.uuid(), correlationId, causationId: null, occurredAt, networkId }));
  }
}

function microstructureEvents(m: PlannedMicrostructure): { on: string; messages: Message[] }[] {
  const placed = { microstructureId: m.id, networkId: m.networkId };
  return [
    { on: m.openedOn, messages: [messageOf(MicrostructureCreated, m.id, { ...placed, name: m.name, kind: m.kind, department: m.department })] },
    ...m.members.map((p) => ({ on: m.openedOn, messages: [messageOf(ProfessionalRegistered, p.id, { professionalId: p.id, profession: p.profession, displayName: `${p.firstName} ${p.lastName}` })] })),
    ...m.members.map((p) => ({ on: m.openedOn, messages: [messageOf(MembershipStarted, m.id, { ...placed, professionalId: p.id, profession: p.profession, role: 'MEMBER', startedOn: m.openedOn })] })),
    ...m.partners.map((p) => ({ on: m.openedOn, messages: [messageOf(PartnerAdded, m.id, { ...placed, partnerId: p.id, name: p.name, partnerType: p.type })] })),
    { on: m.openedOn, messages: [messageOf(MicrostructureOpened, m.id, { ...placed, kind: m.kind, department: m.department, openedOn: m.openedOn })] },
  ];
}

/** The networks' creation, before anything else. */
export function networkEvents(directory: PlannedDirectory, envelopes: EnvelopeFactory, on: string): IntegrationEvent[] {
  return directory.networks.flatMap((n) => envelopes.wrap([messageOf(NetworkCreated, n.id, { networkId: n.id, name: n.name, region: n.region, regionCode: REGIONS.find((r) => r.name === n.region)?.code ?? null, departments: n.departments })], on, n.id));
}

/** A microstructure's creation, team, partners and opening, all on its opening day. */
export function microstructureDirectoryEvents(microstructure: PlannedMicrostructure, envelopes: EnvelopeFactory): IntegrationEvent[] {
  return microstructureEvents(microstructure).flatMap(({ on, messages }) => envelopes.wrap(messages, on, microstructure.networkId));
}

/** The events of one act, as its service's relay would publish them. */
export function actEvents(act: ActivityAct, envelopes: EnvelopeFactory): IntegrationEvent[] {
  return envelopes.wrap(actMessages(act), act.on, act.networkId);
}

function actMessages(act: ActivityAct): Message[] {
  switch (act.kind) {
    case 'inclusion': {
      const placed = { inclusionId: act.inclusionId, patientId: act.patientId, microstructureId: act.microstructureId, networkId: act.networkId };
      return [
        messageOf(PatientIncluded, act.patientId, {
          ...placed,
          includedOn: act.on,
          reasons: act.reasons,
          reinclusion: act.reinclusion,
          sex: act.identity.sex,
          ageBand: act.ageBand,
          initialSituation: act.initialSituation,
          teamConsent: true,
          partnerSharingCount: act.partnerSharing.length,
          treatingGpId: act.treatingGpId,
        }),
      ];
    }
    case 'session': {
      const { sessionId, inclusionId, patientId, microstructureId, networkId, sessionKind, on, by, durationMinutes, outcomes } = act;
      return [messageOf(FollowUpSessionRecorded, patientId, { sessionId, inclusionId, patientId, microstructureId, networkId, kind: sessionKind, heldOn: on, professionalId: by, durationMinutes, outcomes })];
    }
    case 'assessment': {
      const { inclusionId, patientId, microstructureId, networkId, timepoint, on, daysOfUseLast30, qualityOfLifeScore, housing, employment, healthCoverage } = act;
      return [messageOf(AssessmentRecorded, patientId, { inclusionId, patientId, microstructureId, networkId, timepoint, assessedOn: on, daysOfUseLast30, qualityOfLifeScore, housing, employment, healthCoverage })];
    }
    case 'exit': {
      const { inclusionId, patientId, microstructureId, networkId, on, reason } = act;
      return [messageOf(ExitRecorded, patientId, { inclusionId, patientId, microstructureId, networkId, exitedOn: on, reason })];
    }
    case 'meeting': {
      const placed = { meetingId: act.meetingId, microstructureId: act.microstructureId, networkId: act.networkId };
      if (!act.held) return [messageOf(MeetingCancelled, act.meetingId, { ...placed, scheduledOn: act.scheduledOn, cancelledOn: act.on })];
      const { durationMinutes, attendeeIds, reviews } = act.held;
      return [
        messageOf(MeetingHeld, act.meetingId, { ...placed, heldOn: act.on, durationMinutes, attendeeCount: attendeeIds.length, reviewedCount: reviews.length }),
        ...reviews.map((review) => messageOf(CaseReviewed, act.meetingId, { ...placed, patientId: review.patientId, heldOn: act.on, decisions: review.decisions, nextReviewOn: review.nextReviewOn })),
      ];
    }
    case 'network-meeting': {
      const { networkMeetingId, networkId, on, format, durationMinutes, attendees } = act;
      const microstructureIds = [...new Set(attendees.map((a) => a.microstructureId))];
      return [messageOf(NetworkMeetingHeld, networkMeetingId, { networkMeetingId, networkId, heldOn: on, format, durationMinutes, attendeeCount: attendees.length, microstructureIds })];
    }
  }
}
