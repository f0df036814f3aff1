import { ContractViolation, TOPICS, TopicDefinition } from '@cnrms/contracts';

/**
 * Deployments of the network of networks (docs/deployments.md). One code base runs as:
 * - `single`: the one platform of today (no replication);
 * - `national`: the national network, the list of regional networks, national days and trainings, national
 *   reporting; it may host networks that run no platform of their own;
 * - `regional`: one network's own platform.
 *
 * Topics cross deployments through Apache Kafka MirrorMaker 2 with its default replication policy: a
 * topic `t` of the deployment `d` arrives on the other cluster as `d.t` (so a deployment never mirrors back
 * what it received, and the topic names which deployment an event came from; its relay also stamped a
 * `source-deployment` header on it). The event's envelope and id are kept, so consumers stay idempotent under
 * MirrorMaker's at-least-once delivery.
 */
export type DeploymentKind = 'single' | 'national' | 'regional';

export interface Deployment {
  kind: DeploymentKind;
  /** This deployment's alias (MirrorMaker cluster alias): `national`, `region-a`, … */
  id: string;
  /** Regional: the national deployment's alias. */
  nationalId: string;
  /** National: the aliases of the regional deployments it receives from. */
  regions: readonly string[];
  /** The networks this deployment owns (regional: its network; national: those it hosts; empty: not checked). */
  networks: readonly string[];
}

export const SINGLE_DEPLOYMENT: Deployment = { kind: 'single', id: 'single', nationalId: 'national', regions: [], networks: [] };

/**
 * What the national level owns, mirrored down to every region: regional networks' records, national days and
 * trainings, and its answers to the regions' requests for seats at national days.
 */
export const DOWNWARD_TOPICS: readonly string[] = ['directory.network.v1', 'training.training.v1', 'training.national-day-answer.v1'];

/** Topics only the national level produces (a region's copy of them came from the national level): never sent up. */
const NATIONAL_ONLY_TOPICS: readonly string[] = ['directory.network.v1', 'training.national-day-answer.v1'];

/**
 * What a region sends up: every integration topic it produces (all free of identifying data, including its
 * professionals' requests for seats at national days), except what only the national level produces.
 */
export const UPWARD_TOPICS: readonly string[] = TOPICS.map((topic) => topic.name).filter((name) => !NATIONAL_ONLY_TOPICS.includes(name));

/** The name MirrorMaker 2's default replication policy gives to `topic` of `source` on the other cluster. */
export const remoteTopic = (source: string, topic: string): string => `${source}.${topic}`;

/** The header every event of a federated deployment carries from its relay on: the deployment that recorded it. */
export const SOURCE_DEPLOYMENT_HEADER = 'source-deployment';

export const originHeader = (deploymentId: string | undefined): Record<string, string> => (deploymentId ? { [SOURCE_DEPLOYMENT_HEADER]: deploymentId } : {});

/** The remote copies of `topics` this deployment reads: national ← each region's upward topics, regional ← national's downward ones. */
export function remoteSources(deployment: Deployment): { source: string; topics: readonly string[] }[] {
  if (deployment.kind === 'national') return deployment.regions.map((source) => ({ source, topics: UPWARD_TOPICS }));
  if (deployment.kind === 'regional') return [{ source: deployment.nationalId, topics: DOWNWARD_TOPICS }];
  return [];
}

/** Every remote topic a consumer of `topics` subscribes to besides them, e.g. `region-a.inclusions.inclusion.v1`. */
export function remoteTopicsFor(deployment: Deployment, topics: readonly string[]): string[] {
  return remoteSources(deployment).flatMap(({ source, topics: replicated }) => topics.filter((t) => replicated.includes(t)).map((t) => remoteTopic(source, t)));
}

/**
 * The remote topics (with their dead-letter topics, through `ensureTopics`) a deployment creates at start, so that
 * its consumers can subscribe before MirrorMaker has copied anything; same partitions as the source topic.
 */
export function remoteTopicDefinitions(deployment: Deployment, topics: readonly TopicDefinition[] = TOPICS): TopicDefinition[] {
  return remoteSources(deployment).flatMap(({ source, topics: replicated }) =>
    topics.filter((t) => replicated.includes(t.name)).map((t) => ({ ...t, name: remoteTopic(source, t.name) })),
  );
}

/** Splits a received topic into the deployment it came from (null: this deployment's own) and the catalogue's topic. */
export function originOf(deployment: Deployment, topic: string): { source: string | null; topic: string } {
  for (const { source } of remoteSources(deployment)) {
    if (topic.startsWith(`${source}.`)) return { source, topic: topic.slice(source.length + 1) };
  }
  return { source: null, topic };
}

/**
 * An event about a network that the deployment it came from does not own. A contract violation of the
 * federation: dead-lettered at once with this reason (never retried, never silently applied).
 */
export class OwnershipViolation extends ContractViolation {
  constructor(type: string, version: number, reason: string) {
    super(type, version, [reason]);
    this.name = 'OwnershipViolation';
    this.message = `ownership: ${reason}`;
  }
}

/**
 * Throws OwnershipViolation when an event received from `source` concerns a network `source` does not own.
 * `owners` maps each source to its networks; a source without a list is not checked (its networks are not
 * known yet), an event without a network (national days, trainings of the national coordination) is not either.
 */
export function assertOwnedBySource(event: { type: string; version: number; networkId: string | null }, source: string, owners: ReadonlyMap<string, readonly string[]>): void {
  const networks = owners.get(source);
  if (!networks || networks.length === 0 || !event.networkId) return;
  if (!networks.includes(event.networkId)) {
    throw new OwnershipViolation(event.type, event.version, `the deployment ${source} does not own the network ${event.networkId}; its events about it are refused`);
  }
}
