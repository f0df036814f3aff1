import { Queryable } from './apply-event';
import { allHcvScreeningWindowsSql } from './hcv-screening-windows';
import { allFirstContactDelayPeriodsSql, allInclusionCellsSql } from './inclusion-cells';
import { allMonthCellsSql, refreshMonthCellsSql } from './month-cells';
import { extendMonthEndsSql } from './month-end-cells';
import { allNetworkCellsSql, allNetworkMicrostructuresSql, refreshNetworkCellsSql } from './network-cells';
import { allPackageCellsSql, settlePackageCells } from './package-cells';
import { allPeriodCellsSql, dropEmptyPeriodCellsSql, refreshPeriodCellsSql } from './period-cells';
import { allReferralCellsSql } from './referral-cells';
import { allTreatingGpSpansSql } from './treating-gp-spans';

/**
 * The summaries kept beside the facts, that indicators are answered from: the month cells (`month-cells.ts`) and
 * the quarter and year cells (`period-cells.ts`) of the patient-month family and their sums per network
 * (`network-cells.ts`), refreshed here from the contacts; the
 * inclusion cells (`inclusion-cells.ts`) and the treating GPs' spans (`treating-gp-spans.ts`), refreshed from the inclusions an event changed; the HCV screening
 * windows (`hcv-screening-windows.ts`), from the patients screened; the referral cells (`referral-cells.ts`), from the patients referred.
 */

/**
 * Brings the cells up to date with the contacts counted since they last moved, after their patient-months, in the
 * caller's transaction: `increments` selects what those contacts added to their patient-months (over `parameters`:
 * `patient-month-increments.ts`, `INCREMENT_COLUMNS`).
 */
export async function refreshCells(db: Queryable, s: string, increments: string, parameters: unknown[]): Promise<void> {
  for (const sql of [refreshMonthCellsSql(s, increments), refreshPeriodCellsSql(s, increments)]) await db.query(sql, parameters);
  await db.query(dropEmptyPeriodCellsSql(s));
  await settlePackageCells(db, s);
  await db.query(refreshNetworkCellsSql(s, increments), parameters);
}

/**
 * Every cell of a fact set, from its facts (a rebuild before its switch), as two chains of statements that read only
 * the facts and what the chain itself wrote before: a rebuild runs them side by side, on two connections. The
 * patient-month family's (month, period, package and network cells, each from the one before) and the referral cells;
 * the others (from the inclusions, the patient-months, the case reviews and the screenings). The referral cells are in
 * the first so that both take about as long (on the national history, 69 and 68 s: the month-end rows alone take 52).
 */
export const allCellsSql = (s: string): string[][] => [
  [allMonthCellsSql(s), ...allPeriodCellsSql(s), ...allPackageCellsSql(s), ...allNetworkCellsSql(s), ...allNetworkMicrostructuresSql(s), ...allReferralCellsSql(s)],
  [...extendMonthEndsSql(s, { setBased: true }), ...allInclusionCellsSql(s), ...allFirstContactDelayPeriodsSql(s), ...allTreatingGpSpansSql(s), ...allHcvScreeningWindowsSql(s)],
];

/** A contact the event-by-event path counted in its patient-month (which keeps the combination of its first contact). */
export interface CountedContact {
  on: string;
  microstructureId: string;
  patientId: string;
  combination: { network_id: string; sex: string; age_band: string };
  /** A session's kind (an inclusion or an assessment has none). */
  kind?: string;
}

/** Refreshes the cells of one contact counted in its patient-month (the event-by-event path). */
export async function refreshCellsOfContact(db: Queryable, s: string, contact: CountedContact): Promise<void> {
  const { network_id, sex, age_band } = contact.combination;
  await refreshCells(
    db,
    s,
    `select date_trunc('month', $1::date)::date as month, $2::text as microstructure_id, $3::text as patient_id, $4::text as network_id, $5::text as sex,
       $6::text as age_band, 1 as contacts, $7::int as psychologist_sessions, $8::int as social_work_interviews`,
    [contact.on, contact.microstructureId, contact.patientId, network_id, sex, age_band, Number(contact.kind === 'PSYCHOLOGIST_SESSION'), Number(contact.kind === 'SOCIAL_WORK_INTERVIEW')],
  );
}
