import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { callerOf, SubgraphContext } from '@cnrms/service-kit';
import { isNational } from '@cnrms/auth';
import { ForbiddenError, NotFoundError, todayInFrance } from '@cnrms/decider';
import { MeetingsAccess } from '../application/access';
import { MeetingsCommands } from '../application/meetings.commands';
import { CaseReviewView, MeetingRow, MeetingsQueries, NetworkMeetingRow } from '../application/meetings.queries';
import { CaseReview, HoldMeetingInput, Meeting, MeetingStatus, Microstructure, NetworkMeeting, RecordNetworkMeetingInput, ReviewSuggestion, ScheduleMeetingInput } from './types';

const MEETING_REFUSED = 'Cette réunion n’existe pas ou n’est accessible qu’à l’équipe de sa microstructure et aux coordinations de son réseau.';

function toMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    microstructureId: row.microstructure_id,
    networkId: row.network_id,
    status: row.status as MeetingStatus,
    scheduledOn: row.scheduled_on,
    format: row.format,
    place: row.place,
    expectedAttendeeIds: row.expected_attendee_ids,
    heldOn: row.held_on,
    durationMinutes: row.duration_minutes,
    attendeeIds: row.attendee_ids,
    reviewedCount: row.reviewed_count,
    cancelledOn: row.cancelled_on,
    cancellationReason: row.cancellation_reason,
  };
}

function toReview(row: CaseReviewView): CaseReview {
  return { meetingId: row.meeting_id, patientId: row.patient_id, heldOn: row.held_on, decisions: row.decisions, nextReviewOn: row.next_review_on, summary: row.summary, summaryErased: row.summaryErased };
}

function toNetworkMeeting(row: NetworkMeetingRow): NetworkMeeting {
  return { id: row.id, networkId: row.network_id, heldOn: row.held_on, topics: row.topics, note: row.note, format: row.format, durationMinutes: row.duration_minutes, attendees: row.attendees, microstructureIds: row.microstructure_ids };
}

@Resolver(() => Meeting)
export class MeetingResolver {
  constructor(
    private readonly queries: MeetingsQueries,
    private readonly commands: MeetingsCommands,
    private readonly access: MeetingsAccess,
  ) {}

  @Query(() => Meeting, { description: 'Une réunion de synthèse (équipe, coordinations du réseau)' })
  async meeting(@Context() context: SubgraphContext, @Args('id', { type: () => ID }) id: string): Promise<Meeting> {
    // Authorised before anything is answered: a caller who may not see every meeting gets the same
    // refusal for an unknown id and for a meeting they may not see (no existence leak).
    const caller = callerOf(context);
    const row = await this.queries.meeting(id).catch((error: unknown) => {
      if (error instanceof NotFoundError && !isNational(caller)) return null;
      throw error;
    });
    if (!row || !(await this.access.canReadMeetings(caller, row.microstructure_id, row.network_id))) throw new ForbiddenError(MEETING_REFUSED);
    return toMeeting(row);
  }

  @Query(() => [Meeting], { description: 'Les réunions d’une microstructure datées dans la période (tenues à leur date, sinon à la date prévue)' })
  async meetings(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('from', { description: 'AAAA-MM-JJ' }) from: string,
    @Args('to', { description: 'AAAA-MM-JJ, inclus' }) to: string,
  ): Promise<Meeting[]> {
    const microstructure = await this.queries.microstructure(microstructureId);
    await this.access.readMeetings(callerOf(context), microstructure.id, microstructure.network_id);
    return (await this.queries.meetings(microstructureId, from, to)).map(toMeeting);
  }

  @Query(() => [Meeting], { description: 'Les réunions de toutes les microstructures d’un réseau dans la période (coordinations du réseau)' })
  async meetingsOfNetwork(
    @Context() context: SubgraphContext,
    @Args('networkId', { type: () => ID }) networkId: string,
    @Args('from', { description: 'AAAA-MM-JJ' }) from: string,
    @Args('to', { description: 'AAAA-MM-JJ, inclus' }) to: string,
  ): Promise<Meeting[]> {
    this.access.readNetworkActivity(callerOf(context), networkId);
    return (await this.queries.meetingsOfNetwork(networkId, from, to)).map(toMeeting);
  }

  @Mutation(() => Meeting, { description: 'Prévoit une réunion de synthèse (membre de l’équipe)' })
  async scheduleMeeting(@Context() context: SubgraphContext, @Args('input') input: ScheduleMeetingInput): Promise<Meeting> {
    return toMeeting(await this.queries.meeting(await this.commands.scheduleMeeting(context, input)));
  }

  @Mutation(() => Meeting, { description: 'Enregistre la réunion comme tenue : participants, durée, situations examinées et décisions' })
  async holdMeeting(@Context() context: SubgraphContext, @Args('input') input: HoldMeetingInput): Promise<Meeting> {
    await this.commands.holdMeeting(context, input);
    return toMeeting(await this.queries.meeting(input.meetingId));
  }

  @Mutation(() => Meeting, { description: 'Annule une réunion prévue, avec un motif' })
  async cancelMeeting(@Context() context: SubgraphContext, @Args('meetingId', { type: () => ID }) meetingId: string, @Args('reason') reason: string): Promise<Meeting> {
    await this.commands.cancelMeeting(context, meetingId, reason);
    return toMeeting(await this.queries.meeting(meetingId));
  }

  @ResolveField(() => [CaseReview], { description: 'Les situations examinées, avec leur synthèse (équipe de la microstructure seulement)' })
  async reviews(@Context() context: SubgraphContext, @Parent() meeting: Meeting): Promise<CaseReview[]> {
    await this.access.teamProfessional(callerOf(context), meeting.microstructureId);
    return (await this.queries.reviewsOfMeeting(meeting.id)).map(toReview);
  }

  @ResolveField(() => String, { nullable: true, description: 'Motif d’annulation : texte libre de l’équipe, null pour les autres' })
  async cancellationReason(@Context() context: SubgraphContext, @Parent() meeting: Meeting): Promise<string | null> {
    return (await this.access.isTeam(callerOf(context), meeting.microstructureId)) ? meeting.cancellationReason : null;
  }
}

@Resolver()
export class CaseReviewResolver {
  constructor(
    private readonly queries: MeetingsQueries,
    private readonly access: MeetingsAccess,
  ) {}

  @Query(() => [CaseReview], { description: 'L’historique des situations examinées d’un patient, la plus récente d’abord (équipe seulement)' })
  async patientReviewHistory(@Context() context: SubgraphContext, @Args('patientId', { type: () => ID }) patientId: string): Promise<CaseReview[]> {
    await this.access.teamProfessional(callerOf(context), await this.queries.microstructureOfPatient(patientId));
    return (await this.queries.reviewHistory(patientId)).map(toReview);
  }

  @Query(() => [ReviewSuggestion], { description: 'Les patients à examiner lors d’une réunion à la date donnée (aujourd’hui par défaut), équipe seulement' })
  async reviewSuggestions(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('on', { nullable: true, description: 'AAAA-MM-JJ' }) on?: string,
  ): Promise<ReviewSuggestion[]> {
    await this.access.teamProfessional(callerOf(context), microstructureId);
    await this.queries.microstructure(microstructureId);
    return this.queries.suggestions(microstructureId, on ?? todayInFrance());
  }

  @Query(() => [String], { description: 'Les mois (AAAA-MM) de la période, révolus et pendant lesquels la microstructure était ouverte, sans réunion tenue' })
  async meetingGaps(
    @Context() context: SubgraphContext,
    @Args('microstructureId', { type: () => ID }) microstructureId: string,
    @Args('from') from: string,
    @Args('to') to: string,
  ): Promise<string[]> {
    const microstructure = await this.queries.microstructure(microstructureId);
    await this.access.readMeetings(callerOf(context), microstructure.id, microstructure.network_id);
    return this.queries.gaps(microstructure, from, to, todayInFrance());
  }
}

@Resolver(() => NetworkMeeting)
export class NetworkMeetingResolver {
  constructor(
    private readonly queries: MeetingsQueries,
    private readonly commands: MeetingsCommands,
    private readonly access: MeetingsAccess,
  ) {}

  @Query(() => [NetworkMeeting], { description: 'Les réunions d’échange d’un réseau dans la période' })
  async networkMeetings(@Context() context: SubgraphContext, @Args('networkId', { type: () => ID }) networkId: string, @Args('from') from: string, @Args('to') to: string): Promise<NetworkMeeting[]> {
    await this.access.readNetworkMeetings(callerOf(context), networkId);
    return (await this.queries.networkMeetings(networkId, from, to)).map(toNetworkMeeting);
  }

  @Mutation(() => NetworkMeeting, { description: 'Enregistre une réunion d’échange du réseau tenue, avec ses participants (coordinations)' })
  async recordNetworkMeeting(@Context() context: SubgraphContext, @Args('input') input: RecordNetworkMeetingInput): Promise<NetworkMeeting> {
    return toNetworkMeeting(await this.queries.networkMeeting(await this.commands.recordNetworkMeeting(context, input)));
  }
}

@Resolver(() => Microstructure)
export class MicrostructureResolver {
  constructor(
    private readonly queries: MeetingsQueries,
    private readonly access: MeetingsAccess,
  ) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Microstructure {
    return { id: reference.id };
  }

  @ResolveField(() => [Meeting], { description: 'Ses réunions de synthèse dans la période (équipe, coordinations du réseau)' })
  async meetings(@Context() context: SubgraphContext, @Parent() parent: Microstructure, @Args('from') from: string, @Args('to') to: string): Promise<Meeting[]> {
    const microstructure = await this.queries.microstructure(parent.id);
    await this.access.readMeetings(callerOf(context), microstructure.id, microstructure.network_id);
    return (await this.queries.meetings(microstructure.id, from, to)).map(toMeeting);
  }

  @ResolveField(() => [String], { description: 'Les mois révolus de la période sans réunion de synthèse tenue (AAAA-MM)' })
  async monthsWithoutMeeting(@Context() context: SubgraphContext, @Parent() parent: Microstructure, @Args('from') from: string, @Args('to') to: string): Promise<string[]> {
    const microstructure = await this.queries.microstructure(parent.id);
    await this.access.readMeetings(callerOf(context), microstructure.id, microstructure.network_id);
    return this.queries.gaps(microstructure, from, to, todayInFrance());
  }
}

export const meetingsResolvers = [MeetingResolver, CaseReviewResolver, NetworkMeetingResolver, MicrostructureResolver];
