import { recordKeyExpression } from '@cnrms/disclosure';
import { Queryable } from './apply-event';
import { CELL_KEY_SECRET_SQL, CELL_KEY_TAG_SQL } from './cell-keys';
import { calendarPeriodsOf } from './period-cells';

/**
 * Referral cells (fact-set layout 7): the referrals and the patients referred per network, period (month, quarter,
 * year: the answers' bucket codes), partner type, sex and age band — what `referrals` reads above the microstructure
 * instead of one row per referral (25,000 a year nationally, each with its patient for the distinct count).
 *
 * A patient counts once in a period however many referrals they had, so each patient-period is, as with the period
 * cells (`period-cells.ts`), **settled** (all their referrals of the period in one combination: counted in that
 * combination's cell) or **spread** (two combinations or more: counted in no cell, their rows read by the answer and
 * counted as distinct patients beside the cells' sums). Two levels, each with its own patient-periods and cells:
 *
 * - partner type `*`: the patients referred, whatever to whom — the combination is the network, sex and age band, so
 *   a patient is spread only when referred from two networks or under two age bands in the period (rare);
 * - each partner type: what an answer cut or filtered by partner type reads — a patient referred to two partner
 *   types in a period is spread there (counted once per partner type, and once in the period's total).
 *
 * `referral_periods` holds every patient-period of both levels, recomputed from the referrals of the patients a
 * transaction touched; the cells follow it by difference. A referral is recorded once and never changes, so rows are
 * only created or grown, and a settled patient may become spread, never the reverse.
 */

/** The partner type of the level that counts a patient whatever the partner types of their referrals. */
export const ANY_PARTNER = '*';
const COMBINATION = ['network_id', 'partner_type', 'sex', 'age_band'];
const ROW = ['period', ...COMBINATION, 'patient_id'];

export function referralCellsDdl(s: string): string {
  return `
    create index referrals_patient on ${s}.referrals (patient_id, held_on);
    create table ${s}.referral_periods (
      period text not null, network_id text not null, partner_type text not null, sex text not null, age_band text not null, patient_id text not null,
      referrals integer not null, spread boolean not null,
      primary key (${ROW.join(', ')})
    );
    create index referral_periods_patient on ${s}.referral_periods (patient_id, period);
    create index referral_periods_spread on ${s}.referral_periods (period) where spread;
    create table ${s}.referral_cells (
      period text not null, network_id text not null, partner_type text not null, sex text not null, age_band text not null,
      referrals integer not null, patients integer not null, patients_keys bigint, key_tag text,
      primary key (period, ${COMBINATION.join(', ')})
    );
    create index referral_cells_empty on ${s}.referral_cells (period) where patients = 0`;
}

/**
 * The patient-periods of the referrals `from` selects (`r`, each with its period `t.period`), at both levels, with
 * whether each is spread (more than one row for the patient, period and level).
 */
const patientPeriodsOf = (from: string) => `
  select ${ROW.join(', ')}, referrals, count(*) over (partition by period, patient_id, partner_type = '${ANY_PARTNER}') > 1 as spread
  from (
    select t.period, r.network_id, l.partner_type, r.sex, r.age_band, r.patient_id, count(*)::int as referrals
    ${from} cross join lateral (values (r.partner_type), ('${ANY_PARTNER}')) l(partner_type)
    group by 1, 2, 3, 4, 5, 6
  ) x`;

const PATIENT_KEY = recordKeyExpression(CELL_KEY_SECRET_SQL, 'patient_id');

/**
 * The statement that brings the referral cells of the referrals `touched` selects (columns `patient_id`, `held_on`,
 * over the caller's parameters) up to date, after the referrals: those patients' patient-periods recomputed from
 * their referrals and written where they changed; each cell gains what the written rows now count (settled ones)
 * and loses what their former versions counted (the rows as the statement found them, which its parts see).
 * A cell whose key sum was made with another secret, or none, loses its tag (answers with keys read the facts).
 */
function refreshReferralCellsSql(s: string, touched: string): string {
  const combination = COMBINATION.join(', ');
  const referrals = `from (select distinct x.patient_id, p.period, p.first_day, p.last_day
      from (select distinct patient_id, held_on::date as held_on from (${touched}) x) x cross join lateral ${calendarPeriodsOf('x.held_on', ['month', 'quarter', 'year'])} p(period, first_day, last_day)) t
    cross join lateral (select r.* from ${s}.referrals r where r.patient_id = t.patient_id and r.held_on between t.first_day and t.last_day offset 0) r`;
  return `with written as (
      insert into ${s}.referral_periods as rp (${ROW.join(', ')}, referrals, spread)
      ${patientPeriodsOf(referrals)}
      on conflict (${ROW.join(', ')}) do update set referrals = excluded.referrals, spread = excluded.spread
      where (rp.referrals, rp.spread) is distinct from (excluded.referrals, excluded.spread)
      returning ${ROW.map((c) => `rp.${c}`).join(', ')}, rp.referrals, rp.spread
    ), contributions as (
      select ${ROW.join(', ')}, referrals, 1 as sign from written where not spread
      union all
      select ${ROW.map((c) => `o.${c}`).join(', ')}, o.referrals, -1
      from written w cross join lateral (select o.* from ${s}.referral_periods o where ${ROW.map((c) => `o.${c} = w.${c}`).join(' and ')} offset 0) o where not o.spread
    )
    insert into ${s}.referral_cells as c (period, ${combination}, referrals, patients, patients_keys, key_tag)
    select period, ${combination}, sum(sign * referrals), sum(sign), sum(sign * ${PATIENT_KEY}), ${CELL_KEY_TAG_SQL}
    from contributions group by period, ${combination}
    on conflict (period, ${combination}) do update set
      referrals = c.referrals + excluded.referrals, patients = c.patients + excluded.patients, patients_keys = c.patients_keys + excluded.patients_keys,
      key_tag = case when c.key_tag = excluded.key_tag then c.key_tag end
    where (excluded.referrals, excluded.patients, excluded.patients_keys) is distinct from (0, 0, 0::bigint) or (c.key_tag is not null and c.key_tag is distinct from excluded.key_tag)`;
}

/**
 * Brings the referral cells of the referrals `touched` selects (columns `patient_id`, `held_on`, over `parameters`) up
 * to date, in the caller's transaction; a cell every patient has left (now spread) goes.
 */
export async function refreshReferralCells(db: Queryable, s: string, touched: string, parameters: unknown[]): Promise<void> {
  await db.query(refreshReferralCellsSql(s, touched), parameters);
  await db.query(`delete from ${s}.referral_cells where patients = 0`);
}

/** Every referral patient-period and cell of a fact set, from its referrals (a layout's upgrade, a rebuild before its switch). */
export function allReferralCellsSql(s: string): string[] {
  return [
    `truncate ${s}.referral_periods, ${s}.referral_cells`,
    `insert into ${s}.referral_periods (${ROW.join(', ')}, referrals, spread)
     ${patientPeriodsOf(`from ${s}.referrals r cross join lateral ${calendarPeriodsOf('r.held_on', ['month', 'quarter', 'year'])} t(period, first_day, last_day)`)}`,
    `insert into ${s}.referral_cells (period, ${COMBINATION.join(', ')}, referrals, patients, patients_keys, key_tag)
     select period, ${COMBINATION.join(', ')}, sum(referrals), count(*), sum(${PATIENT_KEY}), ${CELL_KEY_TAG_SQL}
     from ${s}.referral_periods where not spread group by period, ${COMBINATION.join(', ')}`,
  ];
}
