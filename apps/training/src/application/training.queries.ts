import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotFoundError, ValidationError } from '@cnrms/decider';
import { Profession, requireDate, TrainingTheme } from '@cnrms/domain-training';
import { DataSource } from 'typeorm';

export interface TrainingRow {
  id: string;
  network_id: string | null;
  kind: string;
  title: string;
  theme: string;
  audience: string[];
  format: string;
  registration_closes_on: string;
  published_on: string;
  status: 'PUBLISHED' | 'CANCELLED';
  updated_on: string | null;
  cancelled_on: string | null;
  cancellation_reason: string | null;
}

export interface SessionRow {
  id: string;
  training_id: string;
  position: number;
  date: string;
  start_time: string;
  end_time: string;
  place: string | null;
  capacity: number;
  hours: number;
  registered_count: number;
  wait_listed_count: number;
  attended_count: number;
}

export interface RegistrationRow {
  id: string;
  training_id: string;
  session_id: string;
  professional_id: string;
  network_id: string;
  profession: string;
  status: 'REGISTERED' | 'WAITLISTED' | 'CANCELLED';
  /** Place in the session's wait list among those still waiting (1 is next); null unless wait-listed. */
  wait_list_rank: number | null;
  requested_at: string;
  promoted_at: string | null;
  cancelled_at: string | null;
  attended: boolean;
  attended_hours: number | null;
}

export interface NetworkCountRow {
  network_id: string;
  registered: number;
  wait_listed: number;
  attended: number;
}

export interface HoursRow {
  total_hours: number;
  session_count: number;
  professional_count: number;
}

export interface TrainingFilter {
  networkId?: string | null;
  national?: boolean | null;
  theme?: TrainingTheme | null;
  from?: string | null;
  to?: string | null;
}

const TRAINING_COLUMNS = `t.id, t.network_id, t.kind, t.title, t.theme, t.audience, t.format, t.registration_closes_on::text, t.published_on::text, t.status, t.updated_on::text, t.cancelled_on::text, t.cancellation_reason`;
const SESSION_COLUMNS = `s.id, s.training_id, s.position, s.date::text, s.start_time, s.end_time, s.place, s.capacity, s.hours::float8 as hours,
  (select count(*)::int from training.registrations r where r.session_id = s.id and r.status = 'REGISTERED') as registered_count,
  (select count(*)::int from training.registrations r where r.session_id = s.id and r.status = 'WAITLISTED') as wait_listed_count,
  (select count(*)::int from training.registrations r where r.session_id = s.id and r.attended) as attended_count`;
const REGISTRATION_COLUMNS = `r.id, r.training_id, r.session_id, r.professional_id, r.network_id, r.profession, r.status,
  case when r.status = 'WAITLISTED' then (select count(*)::int from training.registrations w
    where w.session_id = r.session_id and w.status = 'WAITLISTED' and w.wait_listed_version <= r.wait_listed_version) end as wait_list_rank,
  to_json(r.requested_at)#>>'{}' as requested_at, to_json(r.promoted_at)#>>'{}' as promoted_at, to_json(r.cancelled_at)#>>'{}' as cancelled_at,
  r.attended, r.attended_hours::float8 as attended_hours`;

/** The training service's read side: read models only (never the event store). Callers check who asks. */
@Injectable()
export class TrainingQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async requireKnownNetwork(networkId: string): Promise<void> {
    const [row] = await this.db.query(`select 1 from training.networks where id = $1`, [networkId]);
    if (!row) throw new NotFoundError('NETWORK_NOT_FOUND', `Aucun réseau ne porte l’identifiant « ${networkId} ».`);
  }

  networkName(networkId: string): Promise<string | null> {
    return this.db.query(`select name from training.networks where id = $1`, [networkId]).then((rows: { name: string }[]) => rows[0]?.name ?? null);
  }

  /** The professional as the directory registered them (null when unknown), else the profession of a membership. */
  async professional(professionalId: string): Promise<{ profession: Profession; displayName: string } | null> {
    const [row] = await this.db.query(
      `select coalesce(p.profession, m.profession) as profession, coalesce(p.display_name, '') as display_name
         from (select $1::text as id) k left join training.professionals p on p.id = k.id
         left join lateral (select profession from training.memberships where professional_id = k.id order by started_on desc limit 1) m on true
        where p.id is not null or m.profession is not null`,
      [professionalId],
    );
    return row ? { profession: row.profession, displayName: row.display_name } : null;
  }

  /** Networks the professional is a member of on `onDate`. */
  /**
   * For each registered professional of the session: the microstructure they belonged to, on the session's
   * date, in the network their hours count in (the first by start date if several; null if none).
   */
  async attendeeMicrostructures(sessionId: string, professionalIds: readonly string[]): Promise<Record<string, string | null>> {
    if (professionalIds.length === 0) return {};
    const rows: { professional_id: string; microstructure_id: string | null }[] = await this.db.query(
      `select distinct on (r.professional_id) r.professional_id, m.microstructure_id
         from training.registrations r join training.sessions s on s.id = r.session_id
         left join training.memberships m on m.professional_id = r.professional_id and m.network_id = r.network_id and m.started_on <= s.date and (m.ended_on is null or m.ended_on >= s.date)
        where r.session_id = $1 and r.professional_id = any($2::text[]) order by r.professional_id, m.started_on nulls last, m.microstructure_id`,
      [sessionId, [...professionalIds]],
    );
    return Object.fromEntries(rows.map((r) => [r.professional_id, r.microstructure_id]));
  }

  async memberNetworkIds(professionalId: string, onDate: string): Promise<string[]> {
    const rows: { network_id: string }[] = await this.db.query(
      `select distinct network_id from training.memberships where professional_id = $1 and started_on <= $2 and (ended_on is null or ended_on >= $2) order by network_id`,
      [professionalId, onDate],
    );
    return rows.map((r) => r.network_id);
  }

  /** Every network the professional has belonged to (their coordinators follow their training). */
  async networksEver(professionalId: string): Promise<string[]> {
    const rows: { network_id: string }[] = await this.db.query(`select distinct network_id from training.memberships where professional_id = $1`, [professionalId]);
    return rows.map((r) => r.network_id);
  }

  async training(id: string): Promise<TrainingRow> {
    const [row] = await this.db.query(`select ${TRAINING_COLUMNS} from training.trainings t where t.id = $1`, [id]);
    if (!row) throw new NotFoundError('TRAINING_NOT_FOUND', `Aucune formation ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** Trainings with at least one session in the period (when given), by first session date. */
  trainings(filter: TrainingFilter): Promise<TrainingRow[]> {
    const from = filter.from ? requireDate(filter.from, 'from') : null;
    const to = filter.to ? requireDate(filter.to, 'to') : null;
    if (from && to && to < from) throw new ValidationError('INVALID_PERIOD', 'La fin de la période ne peut pas précéder son début.', 'to');
    return this.db.query(
      `select ${TRAINING_COLUMNS} from training.trainings t
        where ($1::text is null or t.network_id = $1)
          and ($2::boolean is null or (t.network_id is null) = $2)
          and ($3::text is null or t.theme = $3)
          and exists (select 1 from training.sessions s where s.training_id = t.id and ($4::date is null or s.date >= $4) and ($5::date is null or s.date <= $5))
        order by (select min(s.date) from training.sessions s where s.training_id = t.id), t.id`,
      [filter.networkId ?? null, filter.national ?? null, filter.theme ?? null, from, to],
    );
  }

  sessions(trainingId: string): Promise<SessionRow[]> {
    return this.db.query(`select ${SESSION_COLUMNS} from training.sessions s where s.training_id = $1 order by s.position`, [trainingId]);
  }

  async session(id: string): Promise<SessionRow> {
    const [row] = await this.db.query(`select ${SESSION_COLUMNS} from training.sessions s where s.id = $1`, [id]);
    if (!row) throw new NotFoundError('SESSION_NOT_FOUND', `Aucune session de formation ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** Registrations, wait list and attendance per network the registrants are counted in (a national day's per-network counts). */
  countsByNetwork(trainingId: string): Promise<NetworkCountRow[]> {
    return this.db.query(
      `select network_id, count(*) filter (where status = 'REGISTERED')::int as registered, count(*) filter (where status = 'WAITLISTED')::int as wait_listed,
              count(*) filter (where attended)::int as attended
         from training.registrations where training_id = $1 group by network_id order by network_id`,
      [trainingId],
    );
  }

  async registration(id: string): Promise<RegistrationRow> {
    const [row] = await this.db.query(`select ${REGISTRATION_COLUMNS} from training.registrations r where r.id = $1`, [id]);
    if (!row) throw new NotFoundError('REGISTRATION_NOT_FOUND', `Aucune inscription ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** A training's registrations (of one session when given): seated first, then the wait list in order, then the cancelled. */
  registrationsOfTraining(trainingId: string, sessionId?: string | null): Promise<RegistrationRow[]> {
    return this.db.query(
      `select ${REGISTRATION_COLUMNS} from training.registrations r where r.training_id = $1 and ($2::text is null or r.session_id = $2)
        order by r.session_id, case r.status when 'REGISTERED' then 0 when 'WAITLISTED' then 1 else 2 end, r.wait_listed_version nulls first, r.requested_at, r.id`,
      [trainingId, sessionId ?? null],
    );
  }

  registrationsOfProfessional(professionalId: string): Promise<RegistrationRow[]> {
    return this.db.query(
      `select ${REGISTRATION_COLUMNS} from training.registrations r join training.sessions s on s.id = r.session_id where r.professional_id = $1 order by s.date desc, s.start_time, r.id`,
      [professionalId],
    );
  }

  /** Hours attended in the period by one professional, or by the professionals counted in a network. */
  async hours(by: { professionalId: string } | { networkId: string }, from?: string | null, to?: string | null): Promise<HoursRow> {
    const start = from ? requireDate(from, 'from') : null;
    const end = to ? requireDate(to, 'to') : null;
    const [column, value] = 'professionalId' in by ? ['professional_id', by.professionalId] : ['network_id', by.networkId];
    const [row] = await this.db.query(
      `select coalesce(sum(attended_hours), 0)::float8 as total_hours, count(*)::int as session_count, count(distinct professional_id)::int as professional_count
         from training.registrations where ${column} = $1 and attended and ($2::date is null or attended_on >= $2) and ($3::date is null or attended_on <= $3)`,
      [value, start, end],
    );
    return row;
  }

  /** What a certificate lists: every session of the training the professional attended. */
  attendedSessions(trainingId: string, professionalId: string): Promise<SessionRow[]> {
    return this.db.query(
      `select ${SESSION_COLUMNS} from training.sessions s where s.training_id = $1
          and exists (select 1 from training.registrations r where r.session_id = s.id and r.professional_id = $2 and r.attended)
        order by s.position`,
      [trainingId, professionalId],
    );
  }
}
