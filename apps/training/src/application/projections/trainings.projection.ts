import { Injectable } from '@nestjs/common';
import { assertNever } from '@cnrms/decider';
import { isTrainingEvent, TRAINING_STREAM_CATEGORIES, TrainingEvent } from '@cnrms/domain-training';
import { Projection, RecordedEvent } from '@cnrms/eventsourcing';
import { EntityManager } from 'typeorm';

export const TRAININGS_PROJECTION = 'training.trainings.v1';

/**
 * The trainings read models: each training and its sessions, and each registration with its status,
 * its place in the wait list (the stream version of its wait-listing) and its attendance. Inserts skip
 * what exists and updates set values, so that applying an event twice changes nothing.
 */
@Injectable()
export class TrainingsProjection implements Projection {
  readonly name = TRAININGS_PROJECTION;
  readonly categories = [TRAINING_STREAM_CATEGORIES.training];

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    if (!isTrainingEvent(recorded)) return;
    const event = { type: recorded.type, data: recorded.data } as TrainingEvent;
    switch (event.type) {
      case 'TrainingPublished': {
        const d = event.data;
        await manager.query(
          `insert into training.trainings (id, network_id, kind, title, theme, audience, format, registration_closes_on, published_on, published_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing`,
          [d.trainingId, d.networkId, d.kind, d.title, d.theme, d.audience, d.format, d.registrationClosesOn, d.publishedOn, d.publishedBy],
        );
        for (const [position, s] of d.sessions.entries()) {
          await manager.query(
            `insert into training.sessions (id, training_id, position, date, start_time, end_time, place, capacity, hours) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing`,
            [s.sessionId, d.trainingId, position, s.date, s.startTime, s.endTime, s.place, s.capacity, s.hours],
          );
        }
        return;
      }
      case 'TrainingUpdated': {
        const d = event.data;
        await manager.query(
          `update training.trainings set title = $2, theme = $3, audience = $4, format = $5, registration_closes_on = $6, updated_on = $7 where id = $1`,
          [d.trainingId, d.title, d.theme, d.audience, d.format, d.registrationClosesOn, d.updatedOn],
        );
        // The programme as it is now: removed sessions go (nobody ever registered to them), the others are set.
        await manager.query(`delete from training.sessions where training_id = $1 and not (id = any($2))`, [d.trainingId, d.sessions.map((s) => s.sessionId)]);
        for (const [position, s] of d.sessions.entries()) {
          await manager.query(
            `insert into training.sessions (id, training_id, position, date, start_time, end_time, place, capacity, hours) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (id) do update set position = excluded.position, date = excluded.date, start_time = excluded.start_time, end_time = excluded.end_time,
               place = excluded.place, capacity = excluded.capacity, hours = excluded.hours`,
            [s.sessionId, d.trainingId, position, s.date, s.startTime, s.endTime, s.place, s.capacity, s.hours],
          );
        }
        return;
      }
      case 'TrainingCancelled':
        await manager.query(`update training.trainings set status = 'CANCELLED', cancelled_on = $2, cancellation_reason = $3 where id = $1`, [event.data.trainingId, event.data.cancelledOn, event.data.reason]);
        return;
      case 'ProfessionalRegistered':
      case 'ProfessionalWaitListed': {
        const d = event.data;
        const waiting = event.type === 'ProfessionalWaitListed';
        await manager.query(
          `insert into training.registrations (id, training_id, session_id, professional_id, network_id, profession, status, requested_at, wait_listed_version)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing`,
          [d.registrationId, d.trainingId, d.sessionId, d.professionalId, d.networkId, d.profession, waiting ? 'WAITLISTED' : 'REGISTERED', waiting ? event.data.waitListedAt : event.data.registeredAt, waiting ? recorded.streamVersion : null],
        );
        return;
      }
      case 'WaitListedProfessionalPromoted':
        await manager.query(`update training.registrations set status = 'REGISTERED', promoted_at = $2 where id = $1`, [event.data.registrationId, event.data.promotedAt]);
        return;
      case 'RegistrationCancelled':
        await manager.query(`update training.registrations set status = 'CANCELLED', cancelled_at = $2 where id = $1`, [event.data.registrationId, event.data.cancelledAt]);
        return;
      case 'AttendanceRecorded':
        await manager.query(`update training.registrations set attended = true, attended_hours = $2, attended_on = $3 where id = $1`, [event.data.registrationId, event.data.hours, event.data.sessionDate]);
        return;
      default:
        assertNever(event, 'training event');
    }
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('truncate training.registrations, training.sessions, training.trainings');
  }
}
