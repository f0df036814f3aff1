import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Decider, DomainEvent, NotFoundError, todayInFrance } from '@cnrms/decider';
import {
  CaseReviewInput,
  HoldMeeting,
  meetingDecider,
  MeetingState,
  meetingStream,
  networkMeetingDecider,
  networkMeetingStream,
  optionalSummary,
  RecordNetworkMeeting,
  requireDate,
  requireId,
  ScheduleMeeting,
} from '@cnrms/domain-meetings';
import { CommandResult } from '@cnrms/eventsourcing';
import { callerOf, CommandExecutor, commandContext, SubgraphContext } from '@cnrms/service-kit';
import { HoldMeetingInput, RecordNetworkMeetingInput, ScheduleMeetingInput } from '../graphql/types';
import { MeetingsAccess } from './access';
import { MeetingsQueries } from './meetings.queries';
import { MEETINGS_PROJECTION } from './projections/meetings.projection';
import { patientErasedError, SUMMARY_VAULT, SummaryVault } from './summary-vault';
import { MEETINGS_SETTINGS } from './tokens';
import { MeetingsSettings } from '../config';

type ExistingMeeting = Exclude<MeetingState, { status: 'NONE' }>;

/**
 * The meetings' write side. Every command is checked in full (the decider runs dry on the current
 * state) before anything is written, summaries included, so that a refusal writes nothing; the team
 * and the included patients come from the other services' events; summaries are encrypted with the
 * patient's key before they reach the decider.
 */
@Injectable()
export class MeetingsCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: MeetingsQueries,
    @Inject(SUMMARY_VAULT) private readonly vault: SummaryVault,
    @Inject(MEETINGS_SETTINGS) private readonly settings: MeetingsSettings,
    private readonly access: MeetingsAccess,
  ) {}

  async scheduleMeeting(context: SubgraphContext, input: ScheduleMeetingInput): Promise<string> {
    const professionalId = await this.access.teamProfessional(callerOf(context), input.microstructureId);
    const microstructure = await this.queries.microstructure(input.microstructureId);
    const scheduledOn = requireDate(input.scheduledOn, 'scheduledOn');
    const today = todayInFrance();
    const meetingId = randomUUID();
    const command: ScheduleMeeting = {
      type: 'ScheduleMeeting',
      data: {
        meetingId,
        microstructureId: microstructure.id,
        networkId: microstructure.network_id,
        scheduledOn,
        format: input.format as ScheduleMeeting['data']['format'],
        place: input.place ?? null,
        expectedAttendeeIds: input.expectedAttendeeIds ?? [],
        scheduledBy: professionalId,
        actorIsMember: (await this.queries.memberIds(microstructure.id, today)).includes(professionalId),
        memberIds: await this.queries.memberIds(microstructure.id, scheduledOn),
        microstructure: { openedOn: microstructure.opened_on, closedOn: microstructure.closed_on },
        today,
        horizonYears: this.settings.planningHorizonYears,
      },
    };
    await this.run(meetingDecider, meetingStream(meetingId), command, context, microstructure.network_id);
    return meetingId;
  }

  async holdMeeting(context: SubgraphContext, input: HoldMeetingInput): Promise<void> {
    const { meeting, professionalId } = await this.forTeam(context, input.meetingId);
    const heldOn = requireDate(input.heldOn, 'heldOn');
    const microstructure = await this.queries.microstructure(meeting.microstructureId);
    const memberIds = await this.queries.memberIds(meeting.microstructureId, heldOn);
    const includedPatientIds = await this.queries.includedPatientIds(meeting.microstructureId, heldOn);
    const reviews = input.reviews ?? [];
    const summaries = reviews.map((review, index) => optionalSummary(review.summary, `reviews[${index}].summary`));
    const command = (ciphertexts: (string | null)[]): HoldMeeting => ({
      type: 'HoldMeeting',
      data: {
        meetingId: meeting.meetingId,
        heldOn,
        durationMinutes: input.durationMinutes,
        attendeeIds: input.attendeeIds,
        // Field by field: the clear summary never goes into the command.
        reviews: reviews.map(({ patientId, decisions, nextReviewOn }, index): CaseReviewInput => ({ patientId, decisions: decisions as CaseReviewInput['decisions'], nextReviewOn, summaryCiphertext: ciphertexts[index] })),
        recordedBy: professionalId,
        actorIsMember: memberIds.includes(professionalId),
        memberIds,
        includedPatientIds,
        microstructure: { openedOn: microstructure.opened_on, closedOn: microstructure.closed_on },
        today: todayInFrance(),
      },
    });
    // Dry run with placeholders: a refused meeting creates no patient key and writes nothing.
    meetingDecider.decide(command(summaries.map((summary) => (summary === undefined ? null : 'dry-run'))), meeting);
    const [erased] = await this.vault.erased(reviews.filter((_, index) => summaries[index] !== undefined).map((review) => review.patientId));
    if (erased !== undefined) throw patientErasedError(erased);
    const ciphertexts: (string | null)[] = [];
    for (const [index, summary] of summaries.entries()) {
      ciphertexts.push(summary === undefined ? null : await this.vault.seal(requireId(reviews[index].patientId, `reviews[${index}].patientId`), meeting.meetingId, summary));
    }
    await this.run(meetingDecider, meetingStream(meeting.meetingId), command(ciphertexts), context, meeting.networkId);
  }

  async cancelMeeting(context: SubgraphContext, meetingId: string, reason: string): Promise<void> {
    const { meeting, professionalId } = await this.forTeam(context, meetingId);
    const today = todayInFrance();
    const actorIsMember = (await this.queries.memberIds(meeting.microstructureId, today)).includes(professionalId);
    await this.run(meetingDecider, meetingStream(meetingId), { type: 'CancelMeeting', data: { meetingId, reason, cancelledBy: professionalId, actorIsMember, today } }, context, meeting.networkId);
  }

  async recordNetworkMeeting(context: SubgraphContext, input: RecordNetworkMeetingInput): Promise<string> {
    const caller = callerOf(context);
    this.access.manageNetworkMeetings(caller, input.networkId);
    await this.queries.requireKnownNetwork(input.networkId);
    const heldOn = requireDate(input.heldOn, 'heldOn');
    const networkMeetingId = randomUUID();
    const command: RecordNetworkMeeting = {
      type: 'RecordNetworkMeeting',
      data: {
        networkMeetingId,
        networkId: input.networkId,
        heldOn,
        topics: input.topics as RecordNetworkMeeting['data']['topics'],
        note: input.note ?? null,
        noteChecked: input.noteChecked ?? false,
        format: input.format as RecordNetworkMeeting['data']['format'],
        durationMinutes: input.durationMinutes,
        attendees: input.attendees.map(({ professionalId, microstructureId }) => ({ professionalId, microstructureId })),
        recordedBy: caller.userId,
        networkMembers: await this.queries.networkMembers(input.networkId, heldOn),
        today: todayInFrance(),
      },
    };
    await this.run(networkMeetingDecider, networkMeetingStream(networkMeetingId), command, context, input.networkId);
    return networkMeetingId;
  }

  /** The meeting and the acting professional, when the caller belongs to its microstructure's team. */
  private async forTeam(context: SubgraphContext, meetingId: string): Promise<{ meeting: ExistingMeeting; professionalId: string }> {
    const meeting = await this.executor.state(meetingDecider, meetingStream(meetingId));
    if (meeting.status === 'NONE') throw new NotFoundError('MEETING_NOT_FOUND', `Aucune réunion ne porte l’identifiant « ${meetingId} ».`);
    return { meeting, professionalId: await this.access.teamProfessional(callerOf(context), meeting.microstructureId) };
  }

  private run<Command extends { type: string }, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command,
    context: SubgraphContext,
    networkId: string,
  ): Promise<CommandResult<Event, State>> {
    return this.executor.executeAndShow(MEETINGS_PROJECTION, decider, streamId, command, commandContext(context, networkId));
  }

}
