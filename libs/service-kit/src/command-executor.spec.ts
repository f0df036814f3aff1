import { DomainError } from '@cnrms/decider';
import { InMemoryEventStore, ProjectionRunner, ProjectionWaitTimeoutError } from '@cnrms/eventsourcing';
import { CommandExecutor } from './command-executor';

const runnerThatWaits = (outcome: () => Promise<void>) =>
  ({ waitFor: outcome, positionToShow: (_projection: string, positions: { position: unknown }[]) => positions[positions.length - 1].position }) as unknown as ProjectionRunner;
const position = { transactionId: '10', globalPosition: 3 };
const recorded = { events: [], state: undefined, position } as unknown as { position: never };

describe('CommandExecutor.waitForProjection', () => {
  it('tells the caller the change is recorded when its read model is too far behind', async () => {
    const executor = new CommandExecutor(new InMemoryEventStore(), runnerThatWaits(() => Promise.reject(new ProjectionWaitTimeoutError('x.v1', '10/3', 5000))));
    const refusal = executor.waitForProjection('x.v1', { ...recorded, streamIds: ['training-4f1c'] });
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
    await expect(refusal).rejects.toMatchObject({
      code: 'READ_MODEL_BEHIND',
      kind: 'UNAVAILABLE',
      message: expect.stringContaining('enregistrée'),
      // What was created, so that nobody resends it to learn its id.
      details: { projection: 'x.v1', recorded: [{ streamId: 'training-4f1c', id: '4f1c' }] },
    });
    const many = executor.waitForProjection('x.v1', { positions: [{ streamId: 'patient-p1', position }, { streamId: 'inclusion-i1', position }] } as never);
    await expect(many).rejects.toMatchObject({ details: { recorded: [{ streamId: 'patient-p1', id: 'p1' }, { streamId: 'inclusion-i1', id: 'i1' }] } });
  });

  it('passes any other failure on as it is, and returns once the read model has caught up', async () => {
    const broken = new Error('connection lost');
    await expect(new CommandExecutor(new InMemoryEventStore(), runnerThatWaits(() => Promise.reject(broken))).waitForProjection('x.v1', recorded)).rejects.toBe(broken);
    await expect(new CommandExecutor(new InMemoryEventStore(), runnerThatWaits(() => Promise.resolve())).waitForProjection('x.v1', recorded)).resolves.toBeUndefined();
  });
});
