import { Inject, Injectable } from '@nestjs/common';
import { Decider, DomainError, DomainEvent, fold } from '@cnrms/decider';
import { CommandContext, CommandResult, CommandTransaction, EventStore, handleCommand, handleMultiStreamCommand, MultiStreamResult, ProjectionRunner, ProjectionWaitTimeoutError, toDomainEvent } from '@cnrms/eventsourcing';
import { commandDuration, eventsAppended } from './metrics';
import { EVENT_STORE } from './tokens';

/**
 * How long a mutation waits for its read model before answering READ_MODEL_BEHIND (`READ_MODEL_WAIT_MS`,
 * 15 s by default): long enough for a loaded machine, short enough for a person waiting on a form.
 */
const READ_MODEL_WAIT_MS = Math.max(100, Number(process.env.READ_MODEL_WAIT_MS ?? 15_000) || 15_000);

/** Runs a command through its decider (with retries on conflicts) and records the metrics. */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute<Command extends { type: string; data?: unknown }, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command,
    context: CommandContext,
  ): Promise<CommandResult<Event, State>> {
    const stop = commandDuration.startTimer({ command: command.type });
    try {
      const result = await handleCommand(this.store, decider, streamId, command, context);
      for (const event of result.events) eventsAppended.inc({ type: event.type });
      stop({ outcome: 'accepted' });
      return result;
    } catch (error) {
      stop({ outcome: 'refused' });
      throw error;
    }
  }

  /**
   * A command over several streams: `body` decides on each through `tx`, and every event is appended in
   * one transaction (all or nothing), retried from the start on a concurrent change. See docs/write-path.md.
   */
  async executeMany<T>(name: string, context: CommandContext, body: (tx: CommandTransaction) => Promise<T>): Promise<MultiStreamResult<T>> {
    const stop = commandDuration.startTimer({ command: name });
    try {
      const result = await handleMultiStreamCommand(this.store, context, body);
      for (const event of result.events) eventsAppended.inc({ type: event.type });
      stop({ outcome: 'accepted' });
      return result;
    } catch (error) {
      stop({ outcome: 'refused' });
      throw error;
    }
  }

  /** Runs the command, then waits until `projection` shows it: what a mutation answers from its read model. */
  async executeAndShow<Command extends { type: string }, Event extends DomainEvent, State>(
    projection: string,
    decider: Decider<Command, Event, State>,
    streamId: string,
    command: Command,
    context: CommandContext,
  ): Promise<CommandResult<Event, State>> {
    const result = await this.execute(decider, streamId, command, context);
    await this.waitForProjection(projection, { ...result, streamIds: [streamId] });
    return result;
  }

  /**
   * Waits until a read model shows what a command recorded, so that a mutation can return it. When the
   * read model is too far behind (a very busy service), the caller is told that the change is recorded
   * and only its display is late, so that nobody sends it again.
   */
  async waitForProjection(
    projection: string,
    result: { position?: CommandResult<unknown, unknown>['position']; positions?: MultiStreamResult<unknown>['positions']; streamIds?: readonly string[] },
  ): Promise<void> {
    // A change of several streams: the projection shows it once it has applied the last of the streams it follows.
    const target = result.positions ? this.projections.positionToShow(projection, result.positions) : result.position;
    if (!target) return;
    try {
      await this.projections.waitFor(projection, target, READ_MODEL_WAIT_MS);
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeoutError)) throw error;
      throw new DomainError(
        'READ_MODEL_BEHIND',
        'Votre modification est enregistrée, mais son affichage prend du retard (service très chargé) : actualisez dans un instant, sans la refaire.',
        'UNAVAILABLE',
        // What was recorded, so that the caller knows the ids it created without asking again.
        { projection, recorded: recordedOf(result) },
      );
    }
  }

  /** An aggregate's current state, folded from its stream (for the checks a command makes before it runs). */
  async state<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, streamId: string): Promise<State> {
    const events = await this.store.readStream(streamId);
    return fold(decider, events.map((event) => toDomainEvent<Event>(event)));
  }
}

/** The streams a command recorded to, each with the id of its aggregate (`training-<id>` → `<id>`). */
function recordedOf(result: { positions?: { streamId: string }[]; streamIds?: readonly string[] }): { streamId: string; id: string }[] {
  const streamIds = [...new Set([...(result.streamIds ?? []), ...(result.positions ?? []).map((p) => p.streamId)])];
  return streamIds.map((streamId) => ({ streamId, id: streamId.slice(streamId.indexOf('-') + 1) }));
}
