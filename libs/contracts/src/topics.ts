/** Every topic of the platform, created explicitly at start (never by auto-creation). */
export interface TopicDefinition {
  name: string;
  partitions: number;
  /** How long messages are kept; integration events are replayable within it. */
  retentionMs: number;
}

const days = (n: number) => n * 24 * 60 * 60 * 1000;

export const TOPICS: readonly TopicDefinition[] = [
  { name: 'directory.network.v1', partitions: 3, retentionMs: days(30) },
  { name: 'directory.microstructure.v1', partitions: 6, retentionMs: days(30) },
  { name: 'directory.professional.v1', partitions: 3, retentionMs: days(30) },
];

/** Where messages that could not be handled wait for a fix and a replay. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** The topics to create: each topic and its dead-letter topic. */
export function topicsWithDeadLetters(topics: readonly TopicDefinition[] = TOPICS): TopicDefinition[] {
  return topics.flatMap((topic) => [topic, { ...topic, name: deadLetterTopic(topic.name), partitions: 1 }]);
}
