import { AssessmentRecorded, ExitRecorded, FollowUpSessionRecorded, PatientIncluded } from '@cnrms/contracts';
import { recordKeyExpression } from '@cnrms/disclosure';
import { Queryable } from './apply-event';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { calendarPeriodsOf } from './period-cells';
import { notAmong } from './summary-writes';
import { intSettingSql } from './writing-settings';
import { inboxRangeSql, NetworkPart } from './network-parts';

/**
 * Inclusion cells (fact-set layout 5): the inclusion-based indicators kept per network, month, sex and age band.
 * Those indicators count inclusions (one row each), not distinct patients. An inclusion is counted in the month it
 * was included in (an exit in the month of the exit), so a quarter's or a year's figure is the sum of its months'
 * cells, exactly, whatever the grouping and filter above the network.
 *
 * - `inclusion_cells`: new inclusions and re-inclusions, first team contacts, screenings and rights opened within
 *   the outcome window, the M6, M12 and quality-of-life changes (counts and sums of the changes), and the record-key
 *   sums of every count a funder sees (the cell key method, as for the month cells);
 * - `first_contact_delays`: the days from inclusion to the first contact with the team, as counts per number of
 *   days (a histogram: the median of any grouping is computed from it, exactly);
 * - `exit_cells`: the exits per month of exit and reason.
 * - (layout 7) `first_contact_delay_periods`: the delays' histogram per network and quarter or year, summed over sex and
 *   age band (the answers by quarter or year not cut by either read it).
 *
 * The microstructure is not kept: a microstructure includes a few patients a month, so cells that kept it would
 * hold about one inclusion each and save nothing. Answers cut or filtered by microstructure, department or kind of
 * microstructure, and a team's own, read the facts (a team's are few).
 *
 * The outcome window is a setting (`REPORTING_OUTCOME_WINDOW_MONTHS`): a cell records the window its "within the
 * window" counts were computed with, given to the writing transaction like the key secret (`prepareFactWrites`), and
 * an answer with another window reads the facts.
 *
 * The cells a transaction's inclusions touch are recomputed from the inclusions (and their assessments): always the
 * function of the facts they summarise, whatever the order of the events.
 */

/** The session setting the refresh reads the outcome window from (transaction-local: `prepareFactWrites`). */
export const OUTCOME_WINDOW_SETTING = 'cnrms.outcome_window_months';
export const OUTCOME_WINDOW_SQL = intSettingSql(OUTCOME_WINDOW_SETTING);
/** The settings the retention flags are computed with (days after the inclusion a contact must reach: layout 6). */
export const RETENTION_6M_DAYS_SETTING = 'cnrms.retention_6m_days';
export const RETENTION_12M_DAYS_SETTING = 'cnrms.retention_12m_days';
const RETENTION_DAYS_SQL = { 6: intSettingSql(RETENTION_6M_DAYS_SETTING), 12: intSettingSql(RETENTION_12M_DAYS_SETTING) };

const CELL = ['month', 'network_id', 'sex', 'age_band'];

/** Layout 6: the inclusions still followed 6 and 12 months on (a contact at least that many days after the inclusion), with the days they were computed with. */
const RETENTION_COLUMNS = `retained_6m integer not null default 0, retained_12m integer not null default 0, retained_6m_keys bigint, retained_12m_keys bigint,
      retention_6m_days integer, retention_12m_days integer`;

/**
 * From layout 5 to 6: the retention counts, none yet, computed with no setting (the answers read the facts for a cell
 * until a transaction that has the settings recomputes it, or a rebuild). A set that layout 5's migration has just
 * given its inclusion cells (today's table) has them already.
 */
export const inclusionRetentionDdl = (s: string): string =>
  `alter table ${s}.inclusion_cells add column if not exists ${RETENTION_COLUMNS.replace(/,\s+/g, ', add column if not exists ')}`;

export function inclusionCellsDdl(s: string): string {
  return `
    create table ${s}.inclusion_cells (
      month date not null, network_id text not null, sex text not null, age_band text not null,
      inclusions integer not null, reinclusions integer not null, first_team_contacts integer not null,
      screened_in_window integer not null, rights_in_window integer not null,
      m6_assessed integer not null, m6_days_of_use_change bigint not null, m12_assessed integer not null, m12_days_of_use_change bigint not null,
      quality_of_life_assessed integer not null, quality_of_life_change bigint not null,
      inclusions_keys bigint, reinclusions_keys bigint, screened_in_window_keys bigint, rights_in_window_keys bigint,
      m6_assessed_keys bigint, m12_assessed_keys bigint, quality_of_life_assessed_keys bigint, key_tag text, outcome_window_months integer,
      ${RETENTION_COLUMNS},
      primary key (month, network_id, sex, age_band)
    );
    create table ${s}.first_contact_delays (
      month date not null, network_id text not null, sex text not null, age_band text not null, days integer not null, inclusions integer not null,
      primary key (month, network_id, sex, age_band, days)
    );
    create table ${s}.exit_cells (
      month date not null, network_id text not null, sex text not null, age_band text not null, exit_reason text not null,
      exits integer not null, exits_keys bigint, key_tag text,
      primary key (month, network_id, sex, age_band, exit_reason)
    );
    create index inclusions_network on ${s}.inclusions (network_id, included_on, sex, age_band);
    create index inclusions_network_exited on ${s}.inclusions (network_id, exited_on, sex, age_band) where exited_on is not null;`;
}

/**
 * Layout 7: the delays' histogram per network and quarter or year (`period`: `YYYY-Qn`, `YYYY`), the months' counts
 * summed over sex and age band — what a national or regional answer by quarter or year reads when it is not cut by
 * either (7,900 rows for two years of the 40 networks instead of 38,000).
 */
export function firstContactDelayPeriodsDdl(s: string): string {
  return `create table ${s}.first_contact_delay_periods (
      period text not null, network_id text not null, days integer not null, inclusions integer not null,
      primary key (period, network_id, days)
    )`;
}

/**
 * The quarter and year histograms follow the months' counts by difference: what a statement changed in
 * `first_contact_delays` (`changes`: `month`, `network_id`, `days`, `n`, the count gained or lost), summed into the
 * periods of each month. A count that falls to none goes after (`dropEmptyDelayPeriodsSql`).
 */
const delayPeriodsBy = (s: string, changes: string) => `
  insert into ${s}.first_contact_delay_periods as d (period, network_id, days, inclusions)
  select v.period, c.network_id, c.days, sum(c.n)::int from (${changes}) c cross join lateral ${calendarPeriodsOf('c.month')} v(period, first_day, last_day)
  group by 1, 2, 3
  on conflict (period, network_id, days) do update set inclusions = d.inclusions + excluded.inclusions`;

/** After the histograms moved: the counts of the periods of the cells `cells` selects that fell to none go. */
function dropEmptyDelayPeriodsSql(s: string, cells: string): string {
  return `delete from ${s}.first_contact_delay_periods d
    using (select distinct v.period, t.network_id from (${cells}) t cross join lateral ${calendarPeriodsOf('t.month')} v(period, first_day, last_day)) p
    where d.period = p.period and d.network_id = p.network_id and d.inclusions = 0`;
}

/** Every quarter and year histogram of a fact set, from its months' counts (a layout's upgrade, a rebuild before its switch). */
export function allFirstContactDelayPeriodsSql(s: string): string[] {
  return [
    `truncate ${s}.first_contact_delay_periods`,
    `insert into ${s}.first_contact_delay_periods (period, network_id, days, inclusions)
       select v.period, d.network_id, d.days, sum(d.inclusions) from ${s}.first_contact_delays d cross join lateral ${calendarPeriodsOf('d.month')} v(period, first_day, last_day) group by 1, 2, 3`,
  ];
}

/** What an inclusion cell holds: a recomputed cell equal to it is not written again. */
export const INCLUSION_FIGURES = [
  'inclusions', 'reinclusions', 'first_team_contacts', 'screened_in_window', 'rights_in_window',
  'm6_assessed', 'm6_days_of_use_change', 'm12_assessed', 'm12_days_of_use_change', 'quality_of_life_assessed', 'quality_of_life_change',
  'inclusions_keys', 'reinclusions_keys', 'screened_in_window_keys', 'rights_in_window_keys', 'm6_assessed_keys', 'm12_assessed_keys', 'quality_of_life_assessed_keys',
  'key_tag', 'outcome_window_months',
  'retained_6m', 'retained_12m', 'retained_6m_keys', 'retained_12m_keys', 'retention_6m_days', 'retention_12m_days',
];

const unchanged = (alias: string, figures: string[]) => `where (${figures.map((f) => `${alias}.${f}`).join(', ')}) is distinct from (${figures.map((f) => `excluded.${f}`).join(', ')})`;

/** Within the outcome window after the inclusion (`first_screened_on`, `first_right_granted_on`). */
const inWindow = (column: string) => `(i.${column} is not null and i.${column} <= (i.included_on + ${OUTCOME_WINDOW_SQL} * interval '1 month')::date)`;

/**
 * The inclusions `where` selects (`i`), each with its cell (`month`, `network_id`, `sex`, `age_band`), its record
 * key, its window flags and its changes between assessments.
 */
function inclusionRows(s: string, where: string): string {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'i.patient_id');
  return `select date_trunc('month', i.included_on)::date as month, i.network_id, i.sex, i.age_band, i.included_on, i.reinclusion, i.first_team_contact_on, ${key} as key,
      ${inWindow('first_screened_on')} as screened, ${inWindow('first_right_granted_on')} as rights_opened,
      i.last_contact_on >= i.included_on + ${RETENTION_DAYS_SQL[6]} as retained_6m, i.last_contact_on >= i.included_on + ${RETENTION_DAYS_SQL[12]} as retained_12m,
      a6.days_of_use - i.initial_days_of_use as m6_change, a12.days_of_use - i.initial_days_of_use as m12_change, a12.quality_of_life_score - a0.quality_of_life_score as qol_change
    from ${s}.inclusions i
    left join ${s}.assessments a0 on a0.inclusion_id = i.inclusion_id and a0.timepoint = 'INCLUSION'
    left join ${s}.assessments a6 on a6.inclusion_id = i.inclusion_id and a6.timepoint = 'M6'
    left join ${s}.assessments a12 on a12.inclusion_id = i.inclusion_id and a12.timepoint = 'M12'
    where ${where}`;
}

/**
 * The inclusions of the cells `cells` selects (columns `month`, `network_id`, `sex`, `age_band`). Lateral (and
 * `offset 0`, so that it is not flattened into a join): each cell's inclusions by the index on (network, inclusion
 * day, sex, age band), not a scan of every inclusion (with sex and age band in the index, only the cell's own
 * inclusions are read from the table: a fifteenth of its network's month; a batch's inclusion cells took half the time).
 */
const inclusionsOfCells = (s: string, cells: string) =>
  `from (${cells}) t cross join lateral (${inclusionRows(
    s,
    `i.network_id = t.network_id and i.included_on >= t.month and i.included_on < (t.month + interval '1 month')::date and i.sex = t.sex and i.age_band = t.age_band`,
  )} offset 0) i`;

/** Upserts the inclusion cells of the inclusions `i` that `from` selects (`inclusionRows`). */
function inclusionCellsOf(s: string, from: string): string {
  const cell = CELL.map((column) => `i.${column}`).join(', ');
  return `insert into ${s}.inclusion_cells as c (${CELL.join(', ')}, ${INCLUSION_FIGURES.join(', ')})
    select ${cell}, count(*), count(*) filter (where i.reinclusion), count(i.first_team_contact_on),
      count(*) filter (where i.screened), count(*) filter (where i.rights_opened),
      count(i.m6_change), coalesce(sum(i.m6_change), 0), count(i.m12_change), coalesce(sum(i.m12_change), 0), count(i.qol_change), coalesce(sum(i.qol_change), 0),
      sum(i.key), sum(i.key) filter (where i.reinclusion), sum(i.key) filter (where i.screened), sum(i.key) filter (where i.rights_opened),
      sum(i.key) filter (where i.m6_change is not null), sum(i.key) filter (where i.m12_change is not null), sum(i.key) filter (where i.qol_change is not null),
      ${CELL_KEY_TAG_SQL}, ${OUTCOME_WINDOW_SQL},
      count(*) filter (where i.retained_6m), count(*) filter (where i.retained_12m), sum(i.key) filter (where i.retained_6m), sum(i.key) filter (where i.retained_12m),
      ${RETENTION_DAYS_SQL[6]}, ${RETENTION_DAYS_SQL[12]}
    ${from}
    group by ${cell}
    on conflict (${CELL.join(', ')}) do update set ${INCLUSION_FIGURES.map((f) => `${f} = excluded.${f}`).join(', ')}
    ${unchanged('c', INCLUSION_FIGURES)}`;
}

/**
 * Replaces the delay counts of the cells `cells` selects by those of their inclusions (a count that falls to none
 * goes), and moves the quarter and year histograms by what changed: the counts now, less the counts as they were
 * when the statement began (which its sub-statements see).
 */
function firstContactDelaysOf(s: string, cells: string): string {
  const same = (a: string, b: string) => CELL.map((column) => `${a}.${column} = ${b}.${column}`).join(' and ');
  return `with t as (${cells}), fresh as (
      select i.month, i.network_id, i.sex, i.age_band, i.first_team_contact_on - i.included_on as days, count(*) as inclusions
      ${inclusionsOfCells(s, 'select * from t')} where i.first_team_contact_on is not null group by 1, 2, 3, 4, 5
    ), former as (
      select d.* from t join ${s}.first_contact_delays d on ${same('d', 't')}
    ), gone as (
      delete from ${s}.first_contact_delays d using t where ${same('d', 't')} and ${notAmong('d', [...CELL, 'days'], 'fresh')}
    ), written as (
      insert into ${s}.first_contact_delays as d (${CELL.join(', ')}, days, inclusions) select * from fresh
      on conflict (${CELL.join(', ')}, days) do update set inclusions = excluded.inclusions where d.inclusions <> excluded.inclusions
    )
    ${delayPeriodsBy(
      s,
      `select month, network_id, days, sum(n) as n from (select month, network_id, days, inclusions as n from fresh union all select month, network_id, days, -inclusions from former) x
       group by 1, 2, 3 having sum(n) <> 0`,
    )}`;
}

/** Replaces the exit cells (every reason) of the cells `cells` selects by those of the inclusions that exited then. */
function exitCellsOf(s: string, cells: string): string {
  const same = (a: string, b: string) => CELL.map((column) => `${a}.${column} = ${b}.${column}`).join(' and ');
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'i.patient_id');
  return `with t as (${cells}), fresh as (
      select ${CELL.map((column) => `t.${column}`).join(', ')}, i.exit_reason, count(*) as exits, sum(${key}) as exits_keys, ${CELL_KEY_TAG_SQL} as key_tag
      from t cross join lateral (
        select i.* from ${s}.inclusions i where i.network_id = t.network_id and i.exited_on >= t.month and i.exited_on < (t.month + interval '1 month')::date
          and i.sex = t.sex and i.age_band = t.age_band offset 0) i
      group by 1, 2, 3, 4, 5
    ), gone as (
      delete from ${s}.exit_cells e using t where ${same('e', 't')} and ${notAmong('e', [...CELL, 'exit_reason'], 'fresh')}
    )
    insert into ${s}.exit_cells as e (${CELL.join(', ')}, exit_reason, exits, exits_keys, key_tag) select * from fresh
    on conflict (${CELL.join(', ')}, exit_reason) do update set exits = excluded.exits, exits_keys = excluded.exits_keys, key_tag = excluded.key_tag
    ${unchanged('e', ['exits', 'exits_keys', 'key_tag'])}`;
}

/** The inclusion cell and exit cell of each inclusion `inclusions` selects (a query with an `inclusion_id` column). */
const cellsOfInclusions = (s: string, inclusions: string, date: 'included_on' | 'exited_on') =>
  `select distinct date_trunc('month', i.${date})::date as month, i.network_id, i.sex, i.age_band
   from ${s}.inclusions i where i.inclusion_id in (${inclusions}) and i.${date} is not null`;

/** The exit cells the inclusions `inclusions` selects are in now (before an exit is recorded again, with another day). */
export async function exitCellsNow(db: Queryable, s: string, inclusions: string, parameters: unknown[]): Promise<unknown[]> {
  return (await db.query(cellsOfInclusions(s, inclusions, 'exited_on'), parameters)).rows;
}

/**
 * Recomputes the cells of the inclusions `inclusions` selects (a query with an `inclusion_id` column, over
 * `parameters`), after their facts, in the caller's transaction: their inclusion cells and delay counts, their exit
 * cells now, and the exit cells they were in before (`formerExitCells`, from `exitCellsNow`).
 */
export async function refreshInclusionCells(db: Queryable, s: string, inclusions: string, parameters: unknown[], formerExitCells: unknown[] = []): Promise<void> {
  const touched = cellsOfInclusions(s, inclusions, 'included_on');
  await db.query(inclusionCellsOf(s, inclusionsOfCells(s, touched)), parameters);
  await db.query(firstContactDelaysOf(s, touched), parameters);
  await db.query(dropEmptyDelayPeriodsSql(s, touched), parameters);
  const n = parameters.length + 1;
  const former = `select x.month, x.network_id, x.sex, x.age_band from jsonb_to_recordset($${n}::jsonb) as x(month date, network_id text, sex text, age_band text)`;
  await db.query(exitCellsOf(s, `${cellsOfInclusions(s, inclusions, 'exited_on')} union ${former}`), [...parameters, JSON.stringify(formerExitCells)]);
}

/**
 * The inclusions a range of the inbox (`from < seq <= to`) may have changed the cells of: the inclusions, exits and
 * assessments recorded, and the sessions that are now their inclusion's first team contact, first screening done
 * or first right opened (the others leave every inclusion cell as it was: a batch of sessions touches few cells);
 * with `retentionFlipsOfRange`, read before the range's facts.
 */
export const inclusionsOfRange = (s: string, part?: NetworkPart): string => `
  select payload->>'inclusionId' from reporting.inbox
    where ${inboxRangeSql(part)} and type in ('${PatientIncluded.type}', '${AssessmentRecorded.type}', '${ExitRecorded.type}')
  union
  select e.payload->>'inclusionId' from reporting.inbox e join ${s}.inclusions i on i.inclusion_id = e.payload->>'inclusionId'
    where ${inboxRangeSql(part, 'e.')} and e.type = '${FollowUpSessionRecorded.type}'
      and (e.payload->>'heldOn')::date in (i.first_team_contact_on, i.first_screened_on, i.first_right_granted_on)`;

/**
 * The inclusions whose retention flags a range of the inbox (`from < seq <= to`) flips: a session or an assessment
 * at least the retention's days after the inclusion when the last contact so far is not. Read before the range's
 * facts are applied (the last contact moves with them).
 */
export const retentionFlipsOfRange = (s: string, part?: NetworkPart): string => `
  select distinct i.inclusion_id from reporting.inbox e join ${s}.inclusions i on i.inclusion_id = e.payload->>'inclusionId'
  cross join lateral (values (${RETENTION_DAYS_SQL[6]}), (${RETENTION_DAYS_SQL[12]})) d(days)
  where ${inboxRangeSql(part, 'e.')} and e.type in ('${FollowUpSessionRecorded.type}', '${AssessmentRecorded.type}')
    and (e.payload->>(case e.type when '${FollowUpSessionRecorded.type}' then 'heldOn' else 'assessedOn' end))::date >= i.included_on + d.days
    and i.last_contact_on < i.included_on + d.days`;

/** A session (`$2`, of the inclusion `$1`) that may have changed its inclusion's cells: now its first team contact, screening done or right opened, or its last contact past a retention's days. */
export const sessionChangingCells = (s: string) => `select inclusion_id from ${s}.inclusions where inclusion_id = $1 and ($2::date in (first_team_contact_on, first_screened_on, first_right_granted_on)
  or ($2::date = last_contact_on and ($2::date >= included_on + ${RETENTION_DAYS_SQL[6]} or $2::date >= included_on + ${RETENTION_DAYS_SQL[12]})))`;

/** The exits a range of the inbox records (their inclusions' exit cells before it: `exitCellsNow`). */
export const exitsOfRange = (part?: NetworkPart): string => `select payload->>'inclusionId' from reporting.inbox where ${inboxRangeSql(part)} and type = '${ExitRecorded.type}'`;

/** Every inclusion cell, delay count and exit cell of a fact set, from its inclusions (a layout's upgrade, a rebuild before its switch). */
export function allInclusionCellsSql(s: string): string[] {
  const key = recordKeyExpression(CELL_KEY_SECRET_SQL, 'i.patient_id');
  const cellOf = (date: string) => `date_trunc('month', i.${date})::date as month, i.network_id, i.sex, i.age_band`;
  return [
    inclusionCellsOf(s, `from (${inclusionRows(s, 'true')}) i`),
    `insert into ${s}.first_contact_delays (${CELL.join(', ')}, days, inclusions)
       select ${cellOf('included_on')}, i.first_team_contact_on - i.included_on, count(*) from ${s}.inclusions i where i.first_team_contact_on is not null group by 1, 2, 3, 4, 5`,
    `insert into ${s}.exit_cells (${CELL.join(', ')}, exit_reason, exits, exits_keys, key_tag)
       select ${cellOf('exited_on')}, i.exit_reason, count(*), sum(${key}), ${CELL_KEY_TAG_SQL} from ${s}.inclusions i where i.exited_on is not null group by 1, 2, 3, 4, 5`,
  ];
}
