import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Network exchange meetings: coded topics and a note instead of a free-text topic. Meetings recorded
 * before keep their text as the note, under the topic OTHER (as `networkMeetingTopicsOf` reads their events).
 */
export class NetworkMeetingTopics1764000000300 implements MigrationInterface {
  name = 'NetworkMeetingTopics1764000000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table meetings.network_meetings add column topics text[] not null default '{}', add column note text;
      update meetings.network_meetings set topics = '{OTHER}', note = topic;
      alter table meetings.network_meetings drop column topic;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table meetings.network_meetings add column topic text not null default '';
      update meetings.network_meetings set topic = coalesce(note, array_to_string(topics, ', '));
      alter table meetings.network_meetings drop column topics, drop column note;
    `);
  }
}
