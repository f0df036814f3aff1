import { Inject, Injectable } from '@nestjs/common';
import { TrainingCommand, trainingDecider, TrainingEvent, TrainingState } from '@cnrms/domain-training';
import { CommandContext, CommandResult, EventStore, handleCommand } from '@cnrms/eventsourcing';
import { commandDuration, EVENT_STORE, eventsAppended } from '@cnrms/service-kit';
import { StreamQueue } from './stream-queue';

/**
 * Attempts before a version conflict reaches the caller. Within one process the queue removes
 * conflicts; between replicas, each conflict means another registration was recorded first, so the
 * bound is set well above the bursts a training sees (50 at once for 20 seats in the tests).
 */
export const MAX_ATTEMPTS = 100;

/**
 * Runs a training command through the decider and the event store's optimistic concurrency, queued per
 * stream (see StreamQueue), with the same metrics as the service kit's executor. Nothing but the queue
 * and the bound on attempts differs from it: load the stream, decide, append with the version read,
 * decide again on the new state after a conflict.
 */
@Injectable()
export class TrainingCommandRunner {
  private readonly queue = new StreamQueue();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  run(streamId: string, command: TrainingCommand, context: CommandContext): Promise<CommandResult<TrainingEvent, TrainingState>> {
    return this.queue.run(streamId, async () => {
      const stop = commandDuration.startTimer({ command: command.type });
      try {
        const result = await handleCommand(this.store, trainingDecider, streamId, command, context, { maxAttempts: MAX_ATTEMPTS });
        for (const event of result.events) eventsAppended.inc({ type: event.type });
        stop({ outcome: 'accepted' });
        return result;
      } catch (error) {
        stop({ outcome: 'refused' });
        throw error;
      }
    });
  }
}
