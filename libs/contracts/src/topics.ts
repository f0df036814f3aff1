/** The services that publish integration events (docs/architecture.md: one topic per service and event category). */
export type PublishingService = 'directory' | 'inclusions' | 'meetings' | 'training';

/** Every topic of the platform, created explicitly at start (never by auto-creation). */
export interface TopicDefinition {
  /** `<service>.<category>.v<N>`; a breaking change of the category gets a new topic (v2) beside the old one. */
  name: string;
  /** The publishing service (absent on topics made up by tests). */
  service?: PublishingService;
  /** Fixed at creation: the key (aggregate id) → partition mapping, hence per-aggregate order, depends on it. */
  partitions: number;
  /** How long messages are kept; -1 keeps them for ever (a consumer created later still rebuilds from the start). */
  retentionMs: number;
}

const days = (n: number) => n * 24 * 60 * 60 * 1000;
/** Kafka's `retention.ms=-1`: never deleted. */
export const FOREVER = -1;

/**
 * The topic catalogue, per service. The directory's topics are reference data (a few thousand events a
 * year per region) that every service, and reporting created years later, rebuilds its view from: they are
 * kept for ever. The inclusions topic is kept for ever too: it is the only source of the indicators that
 * reporting outside the inclusions service has (its own store is not readable), and a new indicator or a
 * rebuilt reporting view replays it from the start. It holds a pseudonymous id and codes, no identity, so an
 * erasure leaves it as it is (docs/domain.md: erasure without rewriting history). Services still to come add
 * their topics here with their contracts.
 */
export const TOPIC_CATALOGUE: Readonly<Record<PublishingService, readonly TopicDefinition[]>> = {
  directory: [
    { name: 'directory.network.v1', service: 'directory', partitions: 3, retentionMs: FOREVER },
    { name: 'directory.microstructure.v1', service: 'directory', partitions: 6, retentionMs: FOREVER },
    { name: 'directory.professional.v1', service: 'directory', partitions: 3, retentionMs: FOREVER },
  ],
  // Keyed by patient id (see inclusions.contracts.ts); the planning figure is 50,000 patients a year.
  inclusions: [{ name: 'inclusions.inclusion.v1', service: 'inclusions', partitions: 6, retentionMs: FOREVER }],
  // Keyed by meeting id; about one meeting a month per microstructure. Kept for ever: reporting's only source of meetings_held.
  meetings: [{ name: 'meetings.meeting.v1', service: 'meetings', partitions: 3, retentionMs: FOREVER }],
  // Keyed by training id; a few dozen trainings a year per network, a few thousand registrations. Kept for ever:
  // reporting's only source of training hours (training_hours_per_professional).
  // National days across deployments: requests of self-hosting regions (up) and the national answers (down).
  training: [
    { name: 'training.training.v1', service: 'training', partitions: 3, retentionMs: FOREVER },
    { name: 'training.national-day-request.v1', service: 'training', partitions: 3, retentionMs: FOREVER },
    { name: 'training.national-day-answer.v1', service: 'training', partitions: 3, retentionMs: FOREVER },
  ],
};

/** Every topic of the platform (what `ensureTopics` creates at start). */
export const TOPICS: readonly TopicDefinition[] = Object.values(TOPIC_CATALOGUE).flat();

export const topicsOf = (service: PublishingService): readonly TopicDefinition[] => TOPIC_CATALOGUE[service];

/** Where messages that could not be handled wait for a fix and a replay. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Dead letters are kept at least 30 days: time enough to fix the consumer and replay them. */
const DEAD_LETTER_RETENTION_MS = days(30);

/** The topics to create: each topic and its dead-letter topic (one partition: dead letters are few and replayed in order). */
export function topicsWithDeadLetters(topics: readonly TopicDefinition[] = TOPICS): TopicDefinition[] {
  return topics.flatMap((topic) => [
    topic,
    {
      ...topic,
      name: deadLetterTopic(topic.name),
      partitions: 1,
      retentionMs: topic.retentionMs === FOREVER ? FOREVER : Math.max(topic.retentionMs, DEAD_LETTER_RETENTION_MS),
    },
  ]);
}
