import { recordKeyExpression } from '@cnrms/disclosure';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ForbiddenError, NotFoundError } from '@cnrms/decider';
import { forbid, Identity } from '@cnrms/auth';
import { addMonths, AssessmentSummary, assessmentSchedule, ClearIdentity, FollowUpFacts, Profession, suggestLostToFollowUp } from '@cnrms/domain-inclusions';
import { decodeCursor, encodeCursor, PageInput, pageSize, toPage } from '@cnrms/service-kit';
import { DataSource } from 'typeorm';
import { InclusionsSettings } from '../config';
import { inclusionsAccess } from './access';
import { IDENTITY_VAULT, IdentityVault } from './identity-vault';
import { INCLUSIONS_SETTINGS } from './tokens';

const TEAM_ONLY = 'Les données des patients ne sont accessibles qu’aux membres actuels de l’équipe de leur microstructure.';

export interface PatientRow {
  id: string;
  microstructure_id: string;
  network_id: string;
  sex: string;
  birth_year: number;
  identity_ciphertext: string | null;
  erased_at: Date | null;
}

/** An inclusion as the caseload keeps it (`INCLUSION_COLUMNS`): dates as `YYYY-MM-DD`. */
export interface InclusionRow {
  id: string;
  patient_id: string;
  microstructure_id: string;
  network_id: string;
  status: 'OPEN' | 'EXITED';
  included_on: string;
  inclusion_number: number;
  last_contact_on: string;
  reasons: string[];
  treating_gp_id: string;
  included_by: string;
  reinclusion: boolean;
  sex: string;
  age_band: string;
  consent_given_on: string;
  consent_partner_sharing: string[];
  initial_housing: string;
  initial_income: string;
  initial_health_coverage: string;
  initial_main_substances: string[];
  initial_days_of_use_last_30: number;
  exited_on: string | null;
  exit_reason: string | null;
  exit_recorded_by: string | null;
  care_plan_sealed: string | null;
  care_plan_goals: string[] | null;
  care_plan_next_steps: string[] | null;
  care_plan_erased: boolean;
  care_plan_updated_on: string | null;
  care_plan_updated_by: string | null;
  /** The timepoints assessed, from the assessments table: what the schedule needs. */
  assessed: AssessmentSummary[];
}

/** What the follow-up helpers need, from the row's columns. */
export const followUpFactsOfRow = (row: InclusionRow): FollowUpFacts => ({
  status: row.status,
  includedOn: row.included_on,
  exitedOn: row.exited_on ?? undefined,
  lastContactOn: row.last_contact_on,
  assessments: row.assessed,
});

export interface CaseloadFigures {
  active: number;
  exited: number;
  dueAssessments: number;
  overdueAssessments: number;
  lostToFollowUpSuggested: number;
}

export interface CaseloadCriteria {
  status: 'ACTIVE' | 'EXITED' | 'ALL';
  assessmentDue?: boolean;
  lostToFollowUp?: boolean;
}

/** Why an identity was answered: the view that showed it. */
export type IdentityReadPurpose = 'CASELOAD' | 'PATIENT_RECORD';

export interface IdentityRead {
  microstructureId: string;
  readerUserId: string;
  readerProfessionalId: string;
  purpose: IdentityReadPurpose;
  correlationId: string;
}

export interface IdentityReadRow {
  id: string;
  read_at: Date;
  microstructure_id: string;
  patient_id: string;
  reader_user_id: string;
  reader_professional_id: string;
  purpose: IdentityReadPurpose;
  correlation_id: string;
}

export interface MicrostructureRow {
  id: string;
  network_id: string;
  name: string;
  status: string;
  opened_on: string | null;
  closed_on: string | null;
}

/** A patient as the team sees them: the identity decrypted, or `null` once erased. */
export interface PatientView {
  row: PatientRow;
  identity: ClearIdentity | null;
}

/** Every column of `InclusionRow`, from `inclusions.inclusions i`. */
const INCLUSION_COLUMNS = `i.*, ${['included_on', 'last_contact_on', 'consent_given_on', 'exited_on', 'care_plan_updated_on'].map((c) => `i.${c}::text as ${c}`).join(', ')},
  (select coalesce(jsonb_agg(jsonb_build_object('timepoint', a.timepoint, 'assessedOn', a.assessed_on::text) order by a.assessed_on), '[]')
     from inclusions.assessments a where a.inclusion_id = i.id) as assessed`;

/** The inclusions service's read side. Identities are decrypted here, for the team only (the resolvers check who asks). */
@Injectable()
export class InclusionsQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(IDENTITY_VAULT) private readonly vault: IdentityVault,
    @Inject(INCLUSIONS_SETTINGS) private readonly settings: InclusionsSettings,
  ) {}

  async microstructure(id: string): Promise<MicrostructureRow> {
    const [row] = await this.db.query(`select id, network_id, name, status, opened_on::text, closed_on::text from inclusions.microstructures where id = $1`, [id]);
    if (!row) throw new NotFoundError('MICROSTRUCTURE_NOT_FOUND', `Aucune microstructure ne porte l’identifiant « ${id} ».`);
    return row;
  }

  /** The member's profession on `onDate`, or `null` when they are not in the team that day. */
  /** Minutes of sessions the professional recorded on `heldOn` with patients other than this inclusion's. */
  async minutesWithOtherPatients(professionalId: string, heldOn: string, inclusionId: string): Promise<number> {
    const [row] = await this.db.query(
      `select coalesce(sum(duration_minutes), 0)::int as minutes from inclusions.follow_up_sessions where professional_id = $1 and held_on = $2 and inclusion_id <> $3`,
      [professionalId, heldOn, inclusionId],
    );
    return row.minutes;
  }

  async membership(microstructureId: string, professionalId: string, onDate: string): Promise<Profession | null> {
    const [row] = await this.db.query(
      `select profession from inclusions.memberships
        where microstructure_id = $1 and professional_id = $2 and started_on <= $3 and (ended_on is null or ended_on >= $3)
        order by started_on desc limit 1`,
      [microstructureId, professionalId, onDate],
    );
    return row ? (row.profession as Profession) : null;
  }

  /**
   * The professional reading patient data of this microstructure: their token must name it, and the
   * directory's memberships must count them in its team today (a token outlives a membership).
   */
  async teamReader(caller: Identity, microstructureId: string, today: string): Promise<string> {
    const professionalId = inclusionsAccess.teamProfessional(caller, microstructureId);
    if ((await this.membership(microstructureId, professionalId, today)) === null) forbid(TEAM_ONLY);
    return professionalId;
  }

  /**
   * One patient's or one inclusion's row for a reader of its team, authorised before anything is answered: an
   * unknown id and a record the caller may not read get the same refusal, same code and message (no existence leak).
   */
  async readableByTeam<T extends { microstructure_id: string }>(caller: Identity, today: string, read: () => Promise<T>): Promise<{ row: T; professionalId: string }> {
    const row = await read().catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!row) forbid(TEAM_ONLY);
    try {
      return { row, professionalId: await this.teamReader(caller, row.microstructure_id, today) };
    } catch (error) {
      if (error instanceof ForbiddenError) forbid(TEAM_ONLY);
      throw error;
    }
  }

  /** Writes the audit trail of the identities about to be answered; nothing is answered if this fails. */
  async recordIdentityReads(read: IdentityRead, patientIds: readonly string[]): Promise<void> {
    if (patientIds.length === 0) return;
    await this.db.query(
      `insert into inclusions.identity_reads (microstructure_id, patient_id, reader_user_id, reader_professional_id, purpose, correlation_id)
       select $1, patient_id, $3, $4, $5, $6 from unnest($2::text[]) as patient_id`,
      [read.microstructureId, patientIds, read.readerUserId, read.readerProfessionalId, read.purpose, read.correlationId],
    );
  }

  /** The audit trail of a microstructure (or one of its patients), newest first (ids grow with time). */
  async identityReads(microstructureId: string, patientId: string | undefined, page?: PageInput) {
    const size = pageSize(page);
    const after = decodeCursor(page?.after);
    const rows: IdentityReadRow[] = await this.db.query(
      `select id::text, read_at, microstructure_id, patient_id, reader_user_id, reader_professional_id, purpose, correlation_id
         from inclusions.identity_reads
        where microstructure_id = $1 and ($2::text is null or patient_id = $2)
          and ($3::bigint is null or id < $3::bigint)
        order by identity_reads.id desc limit $4`,
      [microstructureId, patientId ?? null, after ? after.id : null, size + 1],
    );
    const [{ count }] = await this.db.query(`select count(*)::int as count from inclusions.identity_reads where microstructure_id = $1 and ($2::text is null or patient_id = $2)`, [microstructureId, patientId ?? null]);
    return { ...toPage(rows, size, (row) => ({ key: 'id', id: row.id }), (row) => row), totalCount: count };
  }

  /** The microstructure's partners among `partnerIds` (from the directory's events). */
  partners(microstructureId: string, partnerIds: readonly string[]): Promise<{ partnerId: string; partnerType: string }[]> {
    if (partnerIds.length === 0) return Promise.resolve([]);
    return this.db.query(`select partner_id as "partnerId", partner_type as "partnerType" from inclusions.partners where microstructure_id = $1 and partner_id = any($2)`, [microstructureId, partnerIds]);
  }

  async patientRow(id: string): Promise<PatientRow> {
    const [row] = await this.db.query(`select * from inclusions.patients where id = $1`, [id]);
    if (!row) throw new NotFoundError('PATIENT_NOT_FOUND', `Aucun patient ne porte l’identifiant « ${id} ».`);
    return row;
  }

  async patient(id: string): Promise<PatientView> {
    const row = await this.patientRow(id);
    return { row, identity: row.identity_ciphertext ? await this.vault.open(row.id, row.identity_ciphertext) : null };
  }

  async inclusion(id: string): Promise<InclusionRow> {
    const [row] = await this.db.query(`select ${INCLUSION_COLUMNS} from inclusions.inclusions i where i.id = $1`, [id]);
    if (!row) throw new NotFoundError('INCLUSION_NOT_FOUND', `Aucune inclusion ne porte l’identifiant « ${id} ».`);
    return row;
  }

  inclusionsOfPatient(patientId: string): Promise<InclusionRow[]> {
    return this.db.query(`select ${INCLUSION_COLUMNS} from inclusions.inclusions i where i.patient_id = $1 order by i.included_on, i.inclusion_number`, [patientId]);
  }

  sessions(inclusionId: string) {
    return this.db.query(
      `select id, inclusion_id, kind, held_on::text as held_on, professional_id, duration_minutes, outcomes from inclusions.follow_up_sessions where inclusion_id = $1 order by held_on, id`,
      [inclusionId],
    );
  }

  assessments(inclusionId: string) {
    return this.db.query(
      `select timepoint, assessed_on::text as assessed_on, days_of_use_last_30, quality_of_life_score, housing, employment, health_coverage, recorded_by
         from inclusions.assessments where inclusion_id = $1 order by assessed_on`,
      [inclusionId],
    );
  }

  timeline(inclusionId: string) {
    return this.db.query(
      `select occurred_on::text as occurred_on, kind, summary, professional_id from inclusions.timeline_entries where inclusion_id = $1 order by occurred_on, recorded_at, entry_key`,
      [inclusionId],
    );
  }

  schedule(row: InclusionRow, today: string) {
    return assessmentSchedule(followUpFactsOfRow(row), today, this.settings.timepoints, this.settings.assessmentWindowDays);
  }

  lostToFollowUp(row: InclusionRow, today: string) {
    return suggestLostToFollowUp(followUpFactsOfRow(row), today, this.settings.lostToFollowUpMonths);
  }

  /**
   * The caseload, sorted by last name then first name (erased patients last). Names are encrypted, so the
   * filtered rows are decrypted (one key lookup for all) and sorted here: a microstructure follows tens
   * to a few hundred patients.
   */
  async caseload(microstructureId: string, criteria: CaseloadCriteria, today: string, page?: PageInput) {
    const size = pageSize(page);
    const after = decodeCursor(page?.after);
    const rows: (InclusionRow & { patient: PatientRow })[] = await this.db.query(
      `select ${INCLUSION_COLUMNS}, to_jsonb(p) as patient
         from inclusions.inclusions i join inclusions.patients p on p.id = i.patient_id
        where ${this.caseloadWhere(criteria)}`,
      [microstructureId, today, this.lostSince(today)],
    );
    const identities = await this.vault.openMany(rows.filter((r) => r.patient.identity_ciphertext).map((r) => ({ patientId: r.patient_id, ciphertext: r.patient.identity_ciphertext! })));
    const sortKey = (identity: ClearIdentity | null | undefined) =>
      identity ? `0${identity.lastName.toLocaleLowerCase('fr')}\u0000${identity.firstName.toLocaleLowerCase('fr')}` : '1';
    const entries = rows
      .map((row) => ({ row, identity: identities.get(row.patient_id) ?? null }))
      .map((entry) => ({ ...entry, key: sortKey(entry.identity) }))
      .sort((a, b) => a.key.localeCompare(b.key, 'fr') || a.row.id.localeCompare(b.row.id));
    const start = after ? entries.findIndex((e) => e.key.localeCompare(after.key, 'fr') > 0 || (e.key === after.key && e.row.id > after.id)) : 0;
    const pageEntries = start < 0 ? [] : entries.slice(start, start + size);
    const last = pageEntries[pageEntries.length - 1];
    return {
      nodes: pageEntries.map(({ row, identity }) => ({ patient: { row: row.patient, identity }, inclusion: row })),
      pageInfo: { hasNextPage: start >= 0 && start + size < entries.length, endCursor: last ? encodeCursor({ key: last.key, id: last.row.id }) : null },
      totalCount: entries.length,
    };
  }

  /**
   * The caseload's counts. With `secret` (outside the team), each count comes with the sum of its records'
   * keys (cell key method, docs/disclosure-control.md): a record is an inclusion, keyed by its patient's key,
   * as reporting keys inclusions — so that the same patients get the same published figure.
   */
  async caseloadSummary(microstructureId: string, today: string, secret?: string): Promise<{ figures: CaseloadFigures; keySums: Record<keyof CaseloadFigures, bigint> }> {
    const key = secret === undefined ? '0' : recordKeyExpression('$4::text', 'patient_id');
    const rows: { status: string; lost: boolean; due_window: boolean; record_key: string }[] = await this.db.query(
      `select status, (status = 'OPEN' and last_contact_on <= $3) as lost, (status = 'OPEN' and next_assessment_window_start <= $2) as due_window, (${key})::text as record_key
         from inclusions.inclusions where microstructure_id = $1`,
      secret === undefined ? [microstructureId, today, this.lostSince(today)] : [microstructureId, today, this.lostSince(today), secret],
    );
    // Due and overdue are per timepoint: decided from each open inclusion's schedule.
    const openKey = secret === undefined ? '0' : recordKeyExpression('$3::text', 'patient_id');
    const open: (InclusionRow & { record_key: string })[] = await this.db.query(
      `select ${INCLUSION_COLUMNS}, (${openKey})::text as record_key from inclusions.inclusions i where i.microstructure_id = $1 and i.status = 'OPEN' and i.next_assessment_window_start <= $2`,
      secret === undefined ? [microstructureId, today] : [microstructureId, today, secret],
    );
    const figures: CaseloadFigures = { active: 0, exited: 0, dueAssessments: 0, overdueAssessments: 0, lostToFollowUpSuggested: 0 };
    const keySums: Record<keyof CaseloadFigures, bigint> = { active: 0n, exited: 0n, dueAssessments: 0n, overdueAssessments: 0n, lostToFollowUpSuggested: 0n };
    const count = (figure: keyof CaseloadFigures, recordKey: string) => {
      figures[figure] += 1;
      keySums[figure] += BigInt(recordKey);
    };
    for (const row of rows) {
      if (row.status === 'OPEN') count('active', row.record_key);
      if (row.status === 'EXITED') count('exited', row.record_key);
      if (row.lost) count('lostToFollowUpSuggested', row.record_key);
    }
    for (const inclusion of open) {
      for (const { status } of this.schedule(inclusion, today)) {
        if (status === 'DUE') count('dueAssessments', inclusion.record_key);
        if (status === 'OVERDUE') count('overdueAssessments', inclusion.record_key);
      }
    }
    return { figures, keySums };
  }

  private caseloadWhere(criteria: CaseloadCriteria): string {
    const conditions = ['i.microstructure_id = $1', '$2::date is not null', '$3::date is not null'];
    if (criteria.status === 'ACTIVE') conditions.push(`i.status = 'OPEN'`);
    if (criteria.status === 'EXITED') conditions.push(`i.status = 'EXITED'`);
    if (criteria.assessmentDue) conditions.push(`i.status = 'OPEN' and i.next_assessment_window_start <= $2`);
    if (criteria.lostToFollowUp) conditions.push(`i.status = 'OPEN' and i.last_contact_on <= $3`);
    return conditions.join(' and ');
  }

  /** A last contact on or before this day suggests "lost to follow-up". */
  private lostSince(today: string): string {
    return addMonths(today, -this.settings.lostToFollowUpMonths);
  }
}
