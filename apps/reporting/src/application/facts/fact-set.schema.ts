import { allFirstContactDelayPeriodsSql, allInclusionCellsSql, firstContactDelayPeriodsDdl, inclusionCellsDdl, inclusionRetentionDdl } from './inclusion-cells';
import { allMonthCellsSql, monthCellsDdl } from './month-cells';
import { monthEndCellsDdl } from './month-end-cells';
import { hcvScreeningWindowsDdl } from './hcv-screening-windows';
import { packageCellsDdl } from './package-cells';
import { allNetworkCellsSql, allNetworkMicrostructuresSql, networkCellsDdl, networkMicrostructuresDdl } from './network-cells';
import { allPeriodCellsSql, patientPeriodContactsDdl, periodCellsDdl } from './period-cells';
import { allReferralCellsSql, referralCellsDdl } from './referral-cells';
import { UPDATED_FILLFACTOR } from './summary-writes';
import { allTreatingGpSpansSql, treatingGpSpansDdl } from './treating-gp-spans';

/**
 * The fact tables of one fact-set version, all in its own schema. Bump FACT_SET_LAYOUT when this
 * changes: the new layout is filled by a rebuild beside the one queries read, then switched to.
 *
 * Grain: per microstructure (reference), per inclusion, per patient-month (contacts by kind: what
 * caseload, reach and packages count), per session (and its screenings, rights, referrals, treatments
 * started: layout 2), per
 * assessment, per meeting, per case review, per microstructure-month (meetings held), per training attendance; and the
 * summaries, the month cells (layout 3, `month-cells.ts`), the quarter and year cells with their patient-periods
 * (layout 4, `period-cells.ts`), and their sums per network, the inclusion, first-contact delay and exit cells (layout 5,
 * `network-cells.ts`, `inclusion-cells.ts`), the treating GPs' spans, the networks' microstructures with
 * patients and the HCV screening windows and the package cells (layout 6, `treating-gp-spans.ts`, `network-cells.ts`,
 * `hcv-screening-windows.ts`, `package-cells.ts`), the delays per network period, the referrals' patient keys and the
 * referral cells (layout 7, `inclusion-cells.ts`, `referral-cells.ts`). Every table a dashboard reads is indexed on its date first; a
 * query reads only the rows of its periods.
 */
export const FACT_SET_LAYOUT = 7;

export const factSetSchemaName = (version: number): string => `reporting_facts_${version}`;

/** Layout 2: treatments started (FollowUpSessionRecorded v2). */
const treatmentsDdl = (s: string) => `
    create table ${s}.treatments (
      session_id text not null, disease text not null, status text not null, patient_id text not null, inclusion_id text not null,
      microstructure_id text not null, network_id text not null, sex text not null, age_band text not null, held_on date not null,
      primary key (session_id, disease, status)
    );
    create index treatments_patient on ${s}.treatments (patient_id, disease, held_on);`;

/**
 * From layout 1 to 2 in place: the treatments table and the attendees' microstructure. Exact without a
 * rebuild: the events a layout-1 set took in were all v1 (no treatment, no microstructure), so the new
 * table is empty and the new column null for them, as a rebuild would leave them.
 */
export function upgradeLayout1To2Ddl(schema: string): string {
  return `alter table ${schema}.training_attendances add column microstructure_id text; ${treatmentsDdl(schema)}`;
}

/**
 * From layout 2 to 3 in place: the month cells, computed from the patient-months. Their record-key sums need the
 * secret, which a migration does not have: they stay untagged (answers that publish with keys read the facts)
 * until a transaction that has it touches them, or a rebuild.
 */
export function upgradeLayout2To3Ddl(schema: string): string {
  return `${monthCellsDdl(schema)} ${allMonthCellsSql(schema)};`;
}

/**
 * From layout 3 to 4 in place: the patient-periods and the quarter and year cells, computed from the patient-months
 * (exact: they are a function of them). Their key sums wait for the secret, as the month cells' did (layout 3).
 */
export function upgradeLayout3To4Ddl(schema: string): string {
  return [periodCellsDdl(schema), ...allPeriodCellsSql(schema)].join(';\n');
}

/**
 * From layout 4 to 5 in place: the patient-periods' contacts and last month (the packages), the network cells, computed from the month and period cells, and the inclusion cells,
 * first-contact delays and exit cells, computed from the inclusions (exact: they are functions of them). Their key sums and window counts wait for the secret and the window (a
 * migration has neither): answers read the facts until a transaction that has them touches a cell, or a rebuild.
 */
export function upgradeLayout4To5Ddl(schema: string): string {
  return [patientPeriodContactsDdl(schema), networkCellsDdl(schema), ...allNetworkCellsSql(schema), inclusionCellsDdl(schema), ...allInclusionCellsSql(schema), monthEndCellsDdl(schema)].join(';\n');
}

/**
 * From layout 5 to 6 in place: the treating GPs' spans, computed from the inclusions, and the networks' microstructures
 * with patients, from the cells (exact: functions of them; neither holds record keys nor depends on a setting); the
 * HCV screening windows and the package cells, empty: they need the outcome window and the packages' threshold, which
 * a migration has not, and the first live transaction with them computes them all; the inclusion cells' retention
 * counts, none, computed with no setting (answers read the facts until a transaction recomputes a cell, or a rebuild).
 */
export function upgradeLayout5To6Ddl(schema: string): string {
  return [
    treatingGpSpansDdl(schema),
    ...allTreatingGpSpansSql(schema),
    networkMicrostructuresDdl(schema),
    ...allNetworkMicrostructuresSql(schema),
    hcvScreeningWindowsDdl(schema),
    packageCellsDdl(schema),
    inclusionRetentionDdl(schema),
  ].join(';\n');
}

/**
 * Layout 7: the record key of each referral's patient, computed when it is recorded with the secret the writing
 * transaction has, and that secret's tag (`referrals` outside the team sums the keys of the patients referred: 25,000
 * a year nationally, whose keys cost more to compute at each answer than all the rest).
 */
const REFERRAL_KEY_COLUMNS = 'patient_key bigint, key_tag text';

/**
 * Layout 7: the positive HCV screenings by day (`hcv_treatment_uptake`), a few per thousand screenings, read without
 * the rest (a year's answer by region took 70 to 100 ms over every screening of its span; 11 ms by this index).
 */
const hcvPositiveScreeningsDdl = (s: string) => `create index screenings_hcv_positive on ${s}.screenings (held_on) where disease = 'HCV' and result = 'RNA_POSITIVE'`;

/**
 * From layout 6 to 7 in place: the referrals' key columns, empty (a migration has no secret: the answers compute the
 * keys of those referrals, as before, until a rebuild), the index of the positive HCV screenings, the delays'
 * quarter and year histograms per network, computed from the months' (exact: a function of them), and the referral
 * cells, computed from the referrals (exact; their key sums wait for the secret: answers that publish with keys read
 * the facts for a cell until a transaction that has it recomputes the cell, or a rebuild).
 */
export function upgradeLayout6To7Ddl(schema: string): string {
  return [
    `alter table ${schema}.referrals add column ${REFERRAL_KEY_COLUMNS.replace(', ', ', add column ')}`,
    hcvPositiveScreeningsDdl(schema),
    firstContactDelayPeriodsDdl(schema),
    ...allFirstContactDelayPeriodsSql(schema),
    referralCellsDdl(schema),
    ...allReferralCellsSql(schema),
  ].join(';\n');
}

export function factSetDdl(schema: string): string {
  const s = schema;
  return `
    create schema ${s};
    create table ${s}.networks (id text primary key, name text not null, region text not null, departments text[] not null);
    create table ${s}.microstructures (
      id text primary key, network_id text not null, name text not null, kind text not null, department text not null,
      opened_on date, closed_on date
    );
    create table ${s}.professionals (id text primary key, profession text not null);
    create table ${s}.memberships (
      microstructure_id text not null, professional_id text not null, started_on date not null, network_id text not null,
      profession text not null, ended_on date, primary key (microstructure_id, professional_id, started_on)
    );
    create table ${s}.inclusions (
      inclusion_id text primary key, patient_id text not null, microstructure_id text not null, network_id text not null,
      included_on date not null, reinclusion boolean not null, sex text not null, age_band text not null, treating_gp_id text not null,
      initial_days_of_use integer not null, exited_on date, exit_reason text,
      first_team_contact_on date, first_screened_on date, first_right_granted_on date, last_contact_on date not null
    ) with (fillfactor = ${UPDATED_FILLFACTOR});
    create index inclusions_included_on on ${s}.inclusions (included_on);
    create index inclusions_exited_on on ${s}.inclusions (exited_on);
    -- Active at a date = included before it and not exited before it: the still-open inclusions and the recent exits, not all history.
    create index inclusions_open on ${s}.inclusions (included_on) where exited_on is null;
    create index inclusions_patient on ${s}.inclusions (patient_id);
    create table ${s}.patient_months (
      month date not null, microstructure_id text not null, patient_id text not null, network_id text not null,
      sex text not null, age_band text not null,
      contacts integer not null default 0, gp_sessions integer not null default 0, psychologist_sessions integer not null default 0,
      social_work_interviews integer not null default 0, psychiatrist_sessions integer not null default 0,
      primary key (month, microstructure_id, patient_id)
    ) with (fillfactor = ${UPDATED_FILLFACTOR});
    create index patient_months_network on ${s}.patient_months (network_id, month);
    create index patient_months_patient on ${s}.patient_months (patient_id, month);
    create table ${s}.sessions (
      session_id text primary key, inclusion_id text not null, patient_id text not null, microstructure_id text not null, network_id text not null,
      kind text not null, held_on date not null, duration_minutes integer not null
    );
    create index sessions_held_on on ${s}.sessions (held_on);
    create table ${s}.screenings (
      session_id text not null, disease text not null, status text not null, result text, patient_id text not null, inclusion_id text not null,
      microstructure_id text not null, network_id text not null, sex text not null, age_band text not null, held_on date not null,
      primary key (session_id, disease, status)
    );
    create index screenings_held_on on ${s}.screenings (held_on, disease);
    ${hcvPositiveScreeningsDdl(s)};
    create table ${s}.rights (
      session_id text not null, right_code text not null, status text not null, patient_id text not null, inclusion_id text not null,
      held_on date not null, primary key (session_id, right_code, status)
    );
    create table ${s}.referrals (
      session_id text not null, partner_id text not null, partner_type text not null, patient_id text not null, inclusion_id text not null,
      microstructure_id text not null, network_id text not null, sex text not null, age_band text not null, held_on date not null,
      ${REFERRAL_KEY_COLUMNS},
      primary key (session_id, partner_id)
    );
    create index referrals_held_on on ${s}.referrals (held_on);

    create table ${s}.assessments (
      inclusion_id text not null, timepoint text not null, patient_id text not null, assessed_on date not null,
      days_of_use integer not null, quality_of_life_score integer not null, primary key (inclusion_id, timepoint)
    );
    create table ${s}.meetings (
      meeting_id text primary key, microstructure_id text not null, network_id text not null, held_on date, cancelled_on date,
      duration_minutes integer, attendee_count integer, reviewed_count integer
    );
    create index meetings_held_on on ${s}.meetings (held_on);
    create table ${s}.case_reviews (
      meeting_id text not null, patient_id text not null, microstructure_id text not null, network_id text not null, held_on date not null,
      primary key (meeting_id, patient_id)
    );
    create index case_reviews_patient on ${s}.case_reviews (patient_id, held_on);
    create index case_reviews_held_on on ${s}.case_reviews (held_on);
    create table ${s}.microstructure_months (
      month date not null, microstructure_id text not null, network_id text not null, meetings_held integer not null default 0,
      primary key (month, microstructure_id)
    );
    create table ${s}.training_attendances (
      registration_id text not null, session_id text not null, training_id text not null, professional_id text not null, network_id text not null,
      attended_on date not null, hours numeric not null, microstructure_id text, primary key (registration_id, session_id)
    );
    create index training_attendances_on on ${s}.training_attendances (attended_on);
    ${treatmentsDdl(s)}
    ${monthCellsDdl(s)}
    ${periodCellsDdl(s)}
    ${networkCellsDdl(s)}
    ${inclusionCellsDdl(s)}
    ${monthEndCellsDdl(s)};
    ${treatingGpSpansDdl(s)};
    ${networkMicrostructuresDdl(s)};
    ${hcvScreeningWindowsDdl(s)};
    ${packageCellsDdl(s)};
    ${firstContactDelayPeriodsDdl(s)};
    ${referralCellsDdl(s)};
  `;
}
