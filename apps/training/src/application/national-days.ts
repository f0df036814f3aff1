import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import {
  NATIONAL_DAY_ANSWER_TOPIC,
  NATIONAL_DAY_REQUEST_TOPIC,
  NationalDayRegistrationAnswered as AnsweredContract,
  NationalDayRegistrationRequested as RequestedContract,
  TRAINING_TOPIC,
  TrainingCancelled,
  TrainingPublished,
  TrainingUpdated,
  TrainingRegistrationCancelled,
  TrainingWaitListedProfessionalPromoted,
} from '@cnrms/contracts';
import { DomainError, fold, NotFoundError, todayInFrance } from '@cnrms/decider';
import {
  answerOf,
  NationalDayRequest,
  nationalDayRequestDecider,
  nationalDayRequestStream,
  RegisterProfessional,
  trainingDecider,
  TrainingEvent,
  trainingStream,
} from '@cnrms/domain-training';
import { CommandContext, EventStore, handleCommand } from '@cnrms/eventsourcing';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { callerOf, deploymentFrom, EVENT_STORE, IntegrationConsumer, SubgraphContext } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { trainingAccess } from './access';
import { TrainingCommandRunner } from './training-command-runner';

// National days across deployments (docs/deployments.md): a professional of a self-hosting region asks their
// own platform for a seat; the request goes up through MirrorMaker 2; the national training service has the
// training's decider decide it (the request id is the registration id, so a redelivery is recognised) and
// records its answer, which goes down; the region shows it. Seats are decided in one place only.

export interface NationalDayRequestRow {
  request_id: string;
  training_id: string;
  session_id: string;
  professional_id: string;
  requested_at: Date;
  status: 'REQUESTED' | 'REGISTERED' | 'WAITLISTED' | 'REFUSED' | 'CANCELLED';
  rank: number | null;
  reason_code: string | null;
  reason: string | null;
  answered_at: Date | null;
}

export interface NationalDaySessionRow {
  session_id: string;
  training_id: string;
  title: string;
  audience: string[];
  format: string;
  registration_closes_on: string;
  date: string;
  hours: number;
  capacity: number;
}

/** The national side: answers a region's request with the training's decider, then records the answer once. */
@Injectable()
export class NationalDayDesk {
  constructor(
    private readonly runner: TrainingCommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    nationalDayRequestConsumer.desk = this;
  }

  async answer(event: IntegrationEvent, source: string): Promise<void> {
    const request = payloadOf(RequestedContract, event) as NationalDayRequest;
    // Counted in a network its deployment owns (the receiver checked the envelope's network against FEDERATION_REGIONS).
    const memberNetworkIds = request.memberNetworkIds.filter((id) => id === event.networkId);
    const context: CommandContext = { actorId: `${source}:${request.professionalId}`, correlationId: event.correlationId, causationId: event.eventId, networkId: null };
    const stream = trainingStream(request.trainingId);
    const stateNow = async () => fold(trainingDecider, (await this.store.readStream(stream)).map((e) => ({ type: e.type, data: e.data }) as TrainingEvent));
    const before = await stateNow();
    const known = before.status === 'PUBLISHED' && before.registrations[request.requestId];
    let decided: Parameters<typeof answerOf>[1];
    if (known) {
      decided = { refused: new DomainError('REGISTRATION_ALREADY_EXISTS', 'Demande déjà décidée.', 'CONFLICT'), state: before };
    } else {
      const command: RegisterProfessional = {
        type: 'RegisterProfessional',
        data: {
          trainingId: request.trainingId,
          sessionId: request.sessionId,
          registrationId: request.requestId,
          professionalId: request.professionalId,
          profession: request.profession,
          memberNetworkIds,
          today: todayInFrance(),
          requestedAt: request.requestedAt,
        },
      };
      try {
        decided = { events: (await this.runner.run(stream, command, context)).events };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        decided = { refused: error, state: await stateNow() };
      }
    }
    const answer = answerOf(request, decided, new Date().toISOString());
    await handleCommand(this.store, nationalDayRequestDecider, nationalDayRequestStream(request.requestId), { type: 'RecordNationalDayAnswer', data: answer }, { ...context, networkId: event.networkId });
  }
}

/** National: a region's request (`<region>.training.national-day-request.v1`), answered by the desk. */
export const nationalDayRequestConsumer: { desk?: NationalDayDesk; handle(event: IntegrationEvent, source: string | null): Promise<void> } = {
  async handle(event, source) {
    if (!source || event.type !== RequestedContract.type) return;
    if (!this.desk) throw new Error('national day desk not ready yet');
    await this.desk.answer(event, source);
  },
};

/** Regional: the national days and the national answers, as MirrorMaker 2 brings them down. In the bus's transaction; replays change nothing. */
export async function applyNationalDayEvent(event: IntegrationEvent, tx: PoolClient): Promise<void> {
  switch (event.type) {
    case TrainingPublished.type: {
      const p = payloadOf(TrainingPublished, event);
      if (p.networkId !== null) return;
      for (const s of p.sessions) {
        await tx.query(
          `insert into training.national_day_sessions (session_id, training_id, title, audience, format, registration_closes_on, date, hours, capacity)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (session_id) do nothing`,
          [s.sessionId, p.trainingId, p.title, p.audience, p.format, p.registrationClosesOn, s.date, s.hours, s.capacity],
        );
      }
      return;
    }
    case TrainingUpdated.type: {
      // The national day as it is now: the sessions offered follow its programme.
      const p = payloadOf(TrainingUpdated, event);
      if (p.networkId !== null) return;
      await tx.query(`delete from training.national_day_sessions where training_id = $1 and not (session_id = any($2))`, [p.trainingId, p.sessions.map((s) => s.sessionId)]);
      for (const s of p.sessions) {
        await tx.query(
          `insert into training.national_day_sessions (session_id, training_id, title, audience, format, registration_closes_on, date, hours, capacity)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           on conflict (session_id) do update set title = excluded.title, audience = excluded.audience, format = excluded.format,
             registration_closes_on = excluded.registration_closes_on, date = excluded.date, hours = excluded.hours, capacity = excluded.capacity`,
          [s.sessionId, p.trainingId, p.title, p.audience, p.format, p.registrationClosesOn, s.date, s.hours, s.capacity],
        );
      }
      return;
    }
    case TrainingCancelled.type: {
      // No longer offered; the requests it held are cancelled by the RegistrationCancelled events that follow.
      const p = payloadOf(TrainingCancelled, event);
      await tx.query(`delete from training.national_day_sessions where training_id = $1`, [p.trainingId]);
      return;
    }
    case AnsweredContract.type: {
      // Every region receives every answer: only this region's requests are updated, once.
      const p = payloadOf(AnsweredContract, event);
      await tx.query(
        `update training.national_day_requests set status = $2, rank = $3, reason_code = $4, reason = $5, answered_at = $6 where request_id = $1 and status = 'REQUESTED'`,
        [p.requestId, p.outcome, p.rank, p.reasonCode, p.reason, p.answeredAt],
      );
      return;
    }
    case TrainingWaitListedProfessionalPromoted.type: {
      const p = payloadOf(TrainingWaitListedProfessionalPromoted, event);
      await tx.query(`update training.national_day_requests set status = 'REGISTERED', rank = null where request_id = $1 and status in ('REQUESTED', 'WAITLISTED')`, [p.registrationId]);
      return;
    }
    case TrainingRegistrationCancelled.type: {
      const p = payloadOf(TrainingRegistrationCancelled, event);
      await tx.query(`update training.national_day_requests set status = 'CANCELLED', rank = null where request_id = $1`, [p.registrationId]);
      return;
    }
  }
}

/**
 * The service's one consumer (one consumer group per service): the directory's reference data, plus, by
 * deployment kind, national ← the regions' requests, regional ← the national days and answers (taken only from
 * the national deployment's copies, `national.<topic>`).
 */
export function withNationalDays(reference: IntegrationConsumer, env: NodeJS.ProcessEnv = process.env): IntegrationConsumer {
  const { deployment } = deploymentFrom(env);
  if (deployment.kind === 'single') return reference;
  const extra = deployment.kind === 'national' ? [NATIONAL_DAY_REQUEST_TOPIC] : [TRAINING_TOPIC, NATIONAL_DAY_ANSWER_TOPIC];
  return {
    topics: [...reference.topics, ...extra],
    async handle(event, tx, origin) {
      if (reference.topics.includes(event.topic)) return reference.handle(event, tx, origin);
      const source = origin?.source ?? null;
      if (deployment.kind === 'national') return nationalDayRequestConsumer.handle(event, source);
      if (source === deployment.nationalId) return applyNationalDayEvent(event, tx);
    },
  };
}

/** The regional side: lists the national days, records a professional's request (its relay sends it up), shows the answers. */
@Injectable()
export class NationalDayRequests {
  private readonly deployment = deploymentFrom(process.env).deployment;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async sessions(): Promise<NationalDaySessionRow[]> {
    return this.db.query(
      `select session_id, training_id, title, audience, format, to_char(registration_closes_on, 'YYYY-MM-DD') as registration_closes_on, to_char(date, 'YYYY-MM-DD') as date, hours::float as hours, capacity
         from training.national_day_sessions order by date, title, session_id`,
    );
  }

  async request(context: SubgraphContext, sessionId: string): Promise<NationalDayRequestRow> {
    const caller = callerOf(context);
    const professionalId = trainingAccess.selfProfessional(caller);
    if (this.deployment.kind !== 'regional') {
      throw new DomainError('NOT_A_REGIONAL_DEPLOYMENT', 'Les demandes de place à une journée nationale passent par la plateforme d’un réseau autonome ; ici, inscrivez-vous directement à la session.', 'BAD_USER_INPUT');
    }
    const [session]: NationalDaySessionRow[] = await this.db.query('select session_id, training_id from training.national_day_sessions where session_id = $1', [sessionId]);
    if (!session) throw new NotFoundError('NATIONAL_DAY_NOT_FOUND', `Aucune session de journée nationale « ${sessionId} » n’est connue ici.`);
    const today = todayInFrance();
    const [professional] = await this.db.query(
      `select coalesce(p.profession, m.profession) as profession from (select $1::text as id) k left join training.professionals p on p.id = k.id
         left join lateral (select profession from training.memberships where professional_id = k.id order by started_on desc limit 1) m on true`,
      [professionalId],
    );
    const members: { network_id: string }[] = await this.db.query(
      `select distinct network_id from training.memberships where professional_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2) order by network_id`,
      [professionalId, today],
    );
    const memberNetworkIds = members.map((m) => m.network_id).filter((id) => this.deployment.networks.includes(id));
    const requestId = randomUUID();
    const requestedAt = new Date().toISOString();
    const data: NationalDayRequest = { requestId, trainingId: session.training_id, sessionId, professionalId, profession: professional?.profession ?? null, memberNetworkIds, requestedAt };
    // The row first: the answer, however fast, finds it. Removed again if the request is refused here.
    await this.db.query('insert into training.national_day_requests (request_id, training_id, session_id, professional_id, requested_at) values ($1, $2, $3, $4, $5)', [
      requestId,
      session.training_id,
      sessionId,
      professionalId,
      requestedAt,
    ]);
    try {
      await handleCommand(this.store, nationalDayRequestDecider, nationalDayRequestStream(requestId), { type: 'RequestNationalDayRegistration', data }, {
        actorId: caller.userId,
        correlationId: context.correlationId,
        causationId: null,
        networkId: memberNetworkIds[0] ?? null,
        ...(context.commandId ? { commandId: context.commandId } : {}),
      });
    } catch (error) {
      await this.db.query('delete from training.national_day_requests where request_id = $1', [requestId]);
      throw error;
    }
    return this.get(requestId);
  }

  async get(requestId: string): Promise<NationalDayRequestRow> {
    const [row] = await this.db.query('select * from training.national_day_requests where request_id = $1', [requestId]);
    if (!row) throw new NotFoundError('NATIONAL_DAY_REQUEST_NOT_FOUND', `Aucune demande « ${requestId} ».`);
    return row;
  }

  async mine(context: SubgraphContext): Promise<NationalDayRequestRow[]> {
    const professionalId = trainingAccess.selfProfessional(callerOf(context));
    return this.db.query('select * from training.national_day_requests where professional_id = $1 order by requested_at, request_id', [professionalId]);
  }
}
