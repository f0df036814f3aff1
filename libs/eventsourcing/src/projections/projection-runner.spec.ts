import { DataSource } from 'typeorm';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

const projection = (name: string, categories?: string[]): Projection => ({ name, categories, apply: async () => undefined, reset: async () => undefined });
const at = (commit: number, prepare: number) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });

describe('ProjectionRunner.positionToShow', () => {
  // One command recorded a professional and the claim of their RPPS number in one transaction.
  const positions = [
    { streamId: 'professional-p1', position: at(100, 4) },
    { streamId: 'rpps-10990000019', position: at(100, 5) },
  ];
  const runner = new ProjectionRunner({ store: new InMemoryEventStore(), dataSource: {} as DataSource, schema: 'directory' }).register(
    projection('directory.professionals.v1', ['professional']),
    projection('directory.claims.v1', ['rpps', 'adeli']),
    projection('directory.everything.v1'),
    projection('directory.networks.v1', ['network']),
  );

  it('waits for the last of the streams the projection follows, not for a later stream it never reads', () => {
    expect(runner.positionToShow('directory.professionals.v1', positions)).toEqual(at(100, 4));
    expect(runner.positionToShow('directory.claims.v1', positions)).toEqual(at(100, 5));
  });

  it('waits for the last stream when the projection follows every category, and for nothing when it follows none of them', () => {
    expect(runner.positionToShow('directory.everything.v1', positions)).toEqual(at(100, 5));
    expect(runner.positionToShow('directory.networks.v1', positions)).toBeUndefined();
  });
});
