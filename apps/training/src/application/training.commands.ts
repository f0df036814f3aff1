import { todayInFrance } from '@cnrms/decider';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CancelTraining, isBlank, minutesOf, PublishTraining, SessionInput, TrainingCommand, trainingStream, UpdateTraining } from '@cnrms/domain-training';
import { callerOf, CommandExecutor, commandContext, SubgraphContext } from '@cnrms/service-kit';
import { CancelTrainingInput, PublishTrainingInput, RecordAttendanceInput, TrainingSessionInput, UpdateTrainingInput } from '../graphql/types';
import { trainingAccess } from './access';
import { PLANNING_SETTINGS, PlanningSettings } from './planning';
import { TRAININGS_PROJECTION } from './projections/trainings.projection';
import { TrainingCommandRunner } from './training-command-runner';
import { TrainingQueries } from './training.queries';

/** A session's length in hours, by quarter hours down: the hours credited when none are given (0 when the times do not make sense: the decider says why). */
function lengthInHours(session: TrainingSessionInput): number {
  const valid = /^\d{2}:\d{2}$/;
  if (!valid.test(session.startTime) || !valid.test(session.endTime)) return 0;
  return Math.max(0, Math.floor((minutesOf(session.endTime) - minutesOf(session.startTime)) / 15) / 4);
}

function sessionInput(sessionId: string, session: TrainingSessionInput): SessionInput {
  return {
    sessionId,
    date: session.date,
    startTime: session.startTime,
    endTime: session.endTime,
    place: session.place ?? null,
    capacity: session.capacity,
    hours: session.hours ?? lengthInHours(session),
  };
}

/**
 * The training service's write side. Every command is checked in full by the decider before its single
 * append, so a refusal writes nothing; ids, "today" (Europe/Paris) and the request's instant are set
 * here; the registrant's profession and networks come from the directory's events. Commands on one
 * training are queued (TrainingCommandRunner), then each mutation waits for its read model.
 */
@Injectable()
export class TrainingCommands {
  constructor(
    private readonly runner: TrainingCommandRunner,
    private readonly executor: CommandExecutor,
    private readonly queries: TrainingQueries,
    @Inject(PLANNING_SETTINGS) private readonly planning: PlanningSettings,
  ) {}

  async publishTraining(context: SubgraphContext, input: PublishTrainingInput): Promise<string> {
    const caller = callerOf(context);
    const networkId = isBlank(input.networkId) ? null : input.networkId!.trim();
    trainingAccess.manage(caller, networkId);
    if (networkId !== null) await this.queries.requireKnownNetwork(networkId);
    const trainingId = randomUUID();
    const sessions = (input.sessions ?? []).map((session) => sessionInput(randomUUID(), session));
    const command: PublishTraining = {
      type: 'PublishTraining',
      data: {
        trainingId,
        networkId,
        kind: (input.kind ?? 'TRAINING') as PublishTraining['data']['kind'],
        title: input.title,
        theme: input.theme as PublishTraining['data']['theme'],
        audience: input.audience as PublishTraining['data']['audience'],
        format: input.format as PublishTraining['data']['format'],
        registrationClosesOn: input.registrationClosesOn,
        sessions,
        publishedBy: caller.userId,
        today: todayInFrance(),
        horizonYears: this.planning.horizonYears,
      },
    };
    await this.run(trainingId, command, context, networkId);
    return trainingId;
  }

  /** Edits a published training (its organisers): the whole programme as it must be; sessions without an id are added. */
  async updateTraining(context: SubgraphContext, input: UpdateTrainingInput): Promise<void> {
    const caller = callerOf(context);
    const training = await this.queries.training(input.trainingId);
    trainingAccess.manage(caller, training.network_id);
    const command: UpdateTraining = {
      type: 'UpdateTraining',
      data: {
        trainingId: training.id,
        title: input.title,
        theme: input.theme as UpdateTraining['data']['theme'],
        audience: input.audience as UpdateTraining['data']['audience'],
        format: input.format as UpdateTraining['data']['format'],
        registrationClosesOn: input.registrationClosesOn,
        sessions: (input.sessions ?? []).map((session) => sessionInput(isBlank(session.id) ? randomUUID() : session.id!.trim(), session)),
        updatedBy: caller.userId,
        today: todayInFrance(),
        requestedAt: new Date().toISOString(),
        horizonYears: this.planning.horizonYears,
      },
    };
    await this.run(training.id, command, context, training.network_id);
  }

  /** Cancels a training that has not started (its organisers); the people registered or waiting are told. */
  async cancelTraining(context: SubgraphContext, input: CancelTrainingInput): Promise<void> {
    const caller = callerOf(context);
    const training = await this.queries.training(input.trainingId);
    trainingAccess.manage(caller, training.network_id);
    const command: CancelTraining = {
      type: 'CancelTraining',
      data: { trainingId: training.id, reason: input.reason as CancelTraining['data']['reason'], cancelledBy: caller.userId, today: todayInFrance(), requestedAt: new Date().toISOString() },
    };
    await this.run(training.id, command, context, training.network_id);
  }

  /** Registers the caller (a professional) to a session; beyond its capacity, on its wait list. */
  async register(context: SubgraphContext, sessionId: string): Promise<string> {
    const professionalId = trainingAccess.selfProfessional(callerOf(context));
    const session = await this.queries.session(sessionId);
    const training = await this.queries.training(session.training_id);
    const today = todayInFrance();
    const registrationId = randomUUID();
    const professional = await this.queries.professional(professionalId);
    const command: TrainingCommand = {
      type: 'RegisterProfessional',
      data: {
        trainingId: training.id,
        sessionId: session.id,
        registrationId,
        professionalId,
        profession: professional?.profession ?? null,
        memberNetworkIds: await this.queries.memberNetworkIds(professionalId, today),
        today,
        requestedAt: new Date().toISOString(),
      },
    };
    await this.run(training.id, command, context, training.network_id);
    return registrationId;
  }

  async cancel(context: SubgraphContext, registrationId: string): Promise<void> {
    const professionalId = trainingAccess.selfProfessional(callerOf(context));
    const registration = await this.queries.registration(registrationId);
    const command: TrainingCommand = {
      type: 'CancelRegistration',
      data: { trainingId: registration.training_id, registrationId, professionalId, today: todayInFrance(), requestedAt: new Date().toISOString() },
    };
    const training = await this.queries.training(registration.training_id);
    await this.run(training.id, command, context, training.network_id);
  }

  async recordAttendance(context: SubgraphContext, input: RecordAttendanceInput): Promise<void> {
    const caller = callerOf(context);
    const session = await this.queries.session(input.sessionId);
    const training = await this.queries.training(session.training_id);
    trainingAccess.manage(caller, training.network_id);
    const command: TrainingCommand = {
      type: 'RecordAttendance',
      data: {
        trainingId: training.id,
        sessionId: session.id,
        professionalIds: input.professionalIds,
        recordedBy: caller.userId,
        today: todayInFrance(),
        microstructureIds: await this.queries.attendeeMicrostructures(session.id, input.professionalIds ?? []),
      },
    };
    await this.run(training.id, command, context, training.network_id);
  }

  private async run(trainingId: string, command: TrainingCommand, context: SubgraphContext, networkId: string | null): Promise<void> {
    const streamId = trainingStream(trainingId);
    const result = await this.runner.run(streamId, command, commandContext(context, networkId));
    await this.executor.waitForProjection(TRAININGS_PROJECTION, { ...result, streamIds: [streamId] });
  }
}
