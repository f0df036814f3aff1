import { ContractViolation } from '@cnrms/contracts';
import { assertOwnedBySource, Deployment, DOWNWARD_TOPICS, originOf, OwnershipViolation, remoteTopicDefinitions, remoteTopicsFor, SINGLE_DEPLOYMENT, UPWARD_TOPICS } from './federation';

const national: Deployment = { kind: 'national', id: 'national', nationalId: 'national', regions: ['region-a', 'region-b'], networks: [] };
const regional: Deployment = { kind: 'regional', id: 'region-a', nationalId: 'national', regions: [], networks: ['net-a'] };

describe('federation topology', () => {
  it('sends up every topic of a region but the networks’ records, which the national level owns', () => {
    expect(UPWARD_TOPICS).toContain('inclusions.inclusion.v1');
    expect(UPWARD_TOPICS).toContain('directory.microstructure.v1');
    expect(UPWARD_TOPICS).not.toContain('directory.network.v1');
    expect(DOWNWARD_TOPICS).toEqual(['directory.network.v1', 'training.training.v1', 'training.national-day-answer.v1']);
    expect(UPWARD_TOPICS).toContain('training.national-day-request.v1');
    expect(UPWARD_TOPICS).not.toContain('training.national-day-answer.v1');
  });

  it('has a national consumer read each region’s copy of its topics', () => {
    expect(remoteTopicsFor(national, ['inclusions.inclusion.v1', 'directory.network.v1'])).toEqual(['region-a.inclusions.inclusion.v1', 'region-b.inclusions.inclusion.v1']);
  });

  it('has a regional consumer read the national copy of what the national level owns only', () => {
    expect(remoteTopicsFor(regional, ['directory.network.v1', 'directory.microstructure.v1', 'training.training.v1'])).toEqual([
      'national.directory.network.v1',
      'national.training.training.v1',
    ]);
  });

  it('reads nothing remote in the single platform', () => {
    expect(remoteTopicsFor(SINGLE_DEPLOYMENT, ['inclusions.inclusion.v1'])).toEqual([]);
    expect(remoteTopicDefinitions(SINGLE_DEPLOYMENT)).toEqual([]);
  });

  it('creates the remote topics with the partitions of their source', () => {
    const created = remoteTopicDefinitions(national).find((t) => t.name === 'region-b.directory.microstructure.v1');
    expect(created).toMatchObject({ partitions: 6 });
  });

  it('tells the deployment an event came from and the catalogue’s topic', () => {
    expect(originOf(national, 'region-b.meetings.meeting.v1')).toEqual({ source: 'region-b', topic: 'meetings.meeting.v1' });
    expect(originOf(national, 'meetings.meeting.v1')).toEqual({ source: null, topic: 'meetings.meeting.v1' });
    expect(originOf(regional, 'national.training.training.v1')).toEqual({ source: 'national', topic: 'training.training.v1' });
  });
});

describe('assertOwnedBySource', () => {
  const owners = new Map([
    ['region-a', ['net-a']],
    ['region-b', []],
  ]);
  const event = (networkId: string | null) => ({ type: 'directory.MicrostructureCreated', version: 1, networkId });

  it('accepts an event about a network its source owns', () => {
    expect(() => assertOwnedBySource(event('net-a'), 'region-a', owners)).not.toThrow();
  });

  it('refuses, as a contract violation (dead-lettered at once), an event about a network its source does not own', () => {
    const refuse = () => assertOwnedBySource(event('net-b'), 'region-a', owners);
    expect(refuse).toThrow(OwnershipViolation);
    expect(refuse).toThrow(ContractViolation);
    expect(refuse).toThrow('the deployment region-a does not own the network net-b');
  });

  it('does not check a source whose networks are not listed, nor an event without a network', () => {
    expect(() => assertOwnedBySource(event('net-b'), 'region-b', owners)).not.toThrow();
    expect(() => assertOwnedBySource(event(null), 'region-a', owners)).not.toThrow();
  });
});
