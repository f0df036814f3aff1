import {
  AssessmentRecorded,
  ExitRecorded,
  MeetingCancelled,
  MeetingScheduled,
  MEETING_TOPIC,
  MICROSTRUCTURE_TOPIC,
  INCLUSION_TOPIC,
  PatientErased,
  PatientIncluded,
  PROFESSIONAL_TOPIC,
  ProfessionalContactChanged,
  ProfessionalRegistered,
  TRAINING_TOPIC,
  TrainingCancelled,
  TrainingPublished,
  TrainingUpdated,
  TrainingWaitListedProfessionalPromoted,
} from '@cnrms/contracts';
import { todayInFrance } from '@cnrms/decider';
import { IntegrationEvent, payloadOf } from '@cnrms/messaging';
import { IntegrationConsumer, keepTeamMembership } from '@cnrms/service-kit';
import { PoolClient } from 'pg';
import { deliver, MailSetting } from './deliveries';
import { meetingCancelled, meetingScheduled, trainingCancelled, trainingChanged, waitListPromotion } from './notices';

/** What the consumers need besides the events: the e-mail setting and the time. */
export interface ConsumerContext {
  mail: MailSetting;
  now: () => Date;
  /** An event older than this is history being replayed (a first start, a new consumer group): kept, not told. */
  maxEventAgeMs: number;
}

/** Days and ids of a notice about an event: told once per event and recipient. */
const aboutEvent = (event: IntegrationEvent) => `event:${event.eventId}`;

/**
 * Whether an event is still news: recent (not history replayed when the service first reads the topics)
 * and about something still ahead (`lastDay`, when known, is today or later). Old events still update what
 * the service keeps; they are only not told.
 */
function isNews(event: IntegrationEvent, context: ConsumerContext, lastDay: string | null | undefined): boolean {
  const now = context.now();
  if (now.getTime() - Date.parse(event.occurredAt) > context.maxEventAgeMs) return false;
  return lastDay == null || lastDay >= todayInFrance(now);
}

async function lastSessionDay(tx: PoolClient, trainingId: string): Promise<string | null> {
  const result = await tx.query<{ last: string | null }>(`select max(date)::text as last from notifications.training_sessions where training_id = $1`, [trainingId]);
  return result.rows[0]?.last ?? null;
}

async function keepTraining(tx: PoolClient, p: { trainingId: string; title: string; sessions: { sessionId: string; date: string }[] }): Promise<void> {
  await tx.query(`insert into notifications.trainings (id, title) values ($1, $2) on conflict (id) do update set title = excluded.title`, [p.trainingId, p.title]);
  const ids = p.sessions.map((s) => s.sessionId);
  await tx.query(`delete from notifications.training_sessions where training_id = $1 and not (id = any($2::text[]))`, [p.trainingId, ids]);
  await tx.query(
    `insert into notifications.training_sessions (id, training_id, date) select id, $1, date from unnest($2::text[], $3::date[]) as s(id, date)
     on conflict (id) do update set date = excluded.date`,
    [p.trainingId, ids, p.sessions.map((s) => s.date)],
  );
}

/** The members of a microstructure on a day: whom a meeting of that day concerns. */
async function membersOn(tx: PoolClient, microstructureId: string, day: string): Promise<string[]> {
  const result = await tx.query<{ professional_id: string }>(
    `select distinct professional_id from notifications.memberships where microstructure_id = $1 and started_on <= $2::date and (ended_on is null or ended_on >= $2::date)`,
    [microstructureId, day],
  );
  return result.rows.map((row) => row.professional_id);
}

/**
 * The professionals and their work e-mail, from every deployment's directory (a national training may
 * promote a professional of a self-hosting region). Kept as they are now: a replay sets the same values.
 */
export const professionalsConsumer: IntegrationConsumer = {
  topics: [PROFESSIONAL_TOPIC],
  async handle(event: IntegrationEvent, tx: PoolClient): Promise<void> {
    if (event.type === ProfessionalRegistered.type || event.type === ProfessionalContactChanged.type) {
      const p = event.type === ProfessionalRegistered.type ? payloadOf(ProfessionalRegistered, event) : payloadOf(ProfessionalContactChanged, event);
      await tx.query(
        `insert into notifications.professionals (id, display_name, email) values ($1, $2, $3) on conflict (id) do update set display_name = excluded.display_name, email = excluded.email`,
        [p.professionalId, p.displayName, p.email ?? null],
      );
    }
  },
};

/**
 * Who to tell of what, from this deployment's own events only (`federated: false`: a region tells its
 * people of its meetings and trainings, the national deployment of its own; nobody is told twice): the
 * memberships, trainings and meetings it must know, the open inclusions and their recorded assessments
 * (for the reminders), and the notices of promotions, training changes and cancellations, and meetings
 * planned or cancelled. Handled in the bus's transaction with the notices and e-mails it creates.
 */
export function notificationsConsumer(context: ConsumerContext): IntegrationConsumer {
  return {
    topics: [MICROSTRUCTURE_TOPIC, TRAINING_TOPIC, MEETING_TOPIC, INCLUSION_TOPIC],
    federated: false,
    async handle(event: IntegrationEvent, tx: PoolClient): Promise<void> {
      if (await keepTeamMembership(tx, 'notifications', event)) return;
      switch (event.type) {
        case TrainingPublished.type: {
          await keepTraining(tx, payloadOf(TrainingPublished, event));
          return;
        }
        case TrainingUpdated.type: {
          const p = payloadOf(TrainingUpdated, event);
          await keepTraining(tx, p);
          const sessionDates = p.sessions.map((s) => s.date);
          if (isNews(event, context, sessionDates.sort().at(-1))) {
            await deliver(tx, p.affectedProfessionalIds, aboutEvent(event), trainingChanged({ title: p.title, changes: p.changes, sessionDates }), context.mail);
          }
          return;
        }
        case TrainingCancelled.type: {
          const p = payloadOf(TrainingCancelled, event);
          if (isNews(event, context, await lastSessionDay(tx, p.trainingId))) {
            await deliver(tx, p.affectedProfessionalIds, aboutEvent(event), trainingCancelled({ title: p.title, reason: p.reason }), context.mail);
          }
          return;
        }
        case TrainingWaitListedProfessionalPromoted.type: {
          const p = payloadOf(TrainingWaitListedProfessionalPromoted, event);
          const found = await tx.query<{ title: string; date: string }>(
            `select t.title, s.date::text as date from notifications.trainings t left join notifications.training_sessions s on s.id = $2 where t.id = $1`,
            [p.trainingId, p.sessionId],
          );
          const training = found.rows[0];
          if (!training || !isNews(event, context, training.date)) return;
          await deliver(tx, [p.professionalId], aboutEvent(event), waitListPromotion({ title: training.title, sessionDate: training.date }), context.mail);
          return;
        }
        case MeetingScheduled.type: {
          const p = payloadOf(MeetingScheduled, event);
          await tx.query(
            `insert into notifications.meetings (id, microstructure_id, scheduled_on, format) values ($1, $2, $3, $4) on conflict (id) do update set scheduled_on = excluded.scheduled_on, format = excluded.format`,
            [p.meetingId, p.microstructureId, p.scheduledOn, p.format],
          );
          if (isNews(event, context, p.scheduledOn)) await deliver(tx, await membersOn(tx, p.microstructureId, p.scheduledOn), aboutEvent(event), meetingScheduled(p), context.mail);
          return;
        }
        case MeetingCancelled.type: {
          const p = payloadOf(MeetingCancelled, event);
          if (isNews(event, context, p.scheduledOn)) await deliver(tx, await membersOn(tx, p.microstructureId, p.scheduledOn), aboutEvent(event), meetingCancelled(p), context.mail);
          return;
        }
        case PatientIncluded.type: {
          const p = payloadOf(PatientIncluded, event);
          await tx.query(
            `insert into notifications.follow_ups (inclusion_id, patient_id, microstructure_id, network_id, included_on) values ($1, $2, $3, $4, $5) on conflict (inclusion_id) do nothing`,
            [p.inclusionId, p.patientId, p.microstructureId, p.networkId, p.includedOn],
          );
          return;
        }
        case AssessmentRecorded.type: {
          const p = payloadOf(AssessmentRecorded, event);
          await tx.query(`insert into notifications.assessments_recorded (inclusion_id, timepoint) values ($1, $2) on conflict do nothing`, [p.inclusionId, p.timepoint]);
          return;
        }
        case ExitRecorded.type: {
          const p = payloadOf(ExitRecorded, event);
          await tx.query(`update notifications.follow_ups set closed = true where inclusion_id = $1`, [p.inclusionId]);
          return;
        }
        case PatientErased.type: {
          // Nothing is reminded about an erased patient any more.
          const p = payloadOf(PatientErased, event);
          await tx.query(`update notifications.follow_ups set closed = true where patient_id = $1`, [p.patientId]);
          return;
        }
      }
    },
  };
}
