import { ExitRecorded, PatientIncluded } from '@cnrms/contracts';
import { Queryable } from './apply-event';
import { notAmong } from './summary-writes';
import { inboxRangeSql, NetworkPart } from './network-parts';

/**
 * Treating GPs' spans (fact-set layout 6): when each treating GP has at least one patient active in a network — what
 * `involved_gps` counts (the distinct treating GPs of the inclusions active at some day of a period).
 *
 * An inclusion is active from its inclusion day to its exit day, both included (open while there is no exit). A GP's
 * inclusions in a network, a few hundred over ten years, mostly overlap: their union is kept as a few disjoint spans
 * (`from_on`, `to_on`, null while one of them is open), days that touch joined. A period has a patient of the GP
 * active at some day exactly when it meets one of the GP's spans, so a period's answer reads a few thousand spans,
 * not the year's hundred thousand inclusions. A GP seen in two networks has spans in each, and is counted once
 * nationally (distinct GPs over the spans).
 *
 * The spans keep the network only: an answer cut or filtered below it (microstructure, department, kind) or a team's
 * own reads the facts. A recorded inclusion or exit recomputes the spans of its GP in its network from their
 * inclusions (by index): always the function of the facts they summarise, whatever the order of the events.
 */

export function treatingGpSpansDdl(s: string): string {
  return `
    create table ${s}.treating_gp_spans (
      network_id text not null, treating_gp_id text not null, from_on date not null, to_on date,
      primary key (network_id, treating_gp_id, from_on)
    );
    create index inclusions_treating_gp on ${s}.inclusions (network_id, treating_gp_id)`;
}

/**
 * The spans of the (network, GP) pairs whose inclusions `i` `from` selects: the inclusions in the order of their
 * first day, a new span where one starts after every earlier one ended (the day after included), then each span's
 * first and last day. An open inclusion ends at infinity (`to_on` null).
 */
const spansOf = (from: string) => `
  select network_id, treating_gp_id, min(a) as from_on, nullif(max(e), 'infinity'::date) as to_on
  from (
    select *, sum(starts) over (partition by network_id, treating_gp_id order by a, e rows unbounded preceding) as span
    from (
      select i.network_id, i.treating_gp_id, i.included_on as a, coalesce(i.exited_on, 'infinity'::date) as e,
        case when i.included_on <= max(coalesce(i.exited_on, 'infinity'::date)) over (partition by i.network_id, i.treating_gp_id order by i.included_on, coalesce(i.exited_on, 'infinity'::date)
          rows between unbounded preceding and 1 preceding) + 1 then 0 else 1 end as starts
      ${from}
    ) marked
  ) grouped
  group by network_id, treating_gp_id, span`;

/**
 * Recomputes the spans of the treating GPs of the inclusions `inclusions` selects (a query with an `inclusion_id`
 * column, over `parameters`), in their networks, after the inclusions' facts: the spans that changed are replaced.
 */
export async function refreshTreatingGpSpans(db: Queryable, s: string, inclusions: string, parameters: unknown[]): Promise<void> {
  await db.query(
    `with t as materialized (
        select distinct i.network_id, i.treating_gp_id from ${s}.inclusions i where i.inclusion_id in (${inclusions})
      ), fresh as (${spansOf(`from t join lateral (select * from ${s}.inclusions i where i.network_id = t.network_id and i.treating_gp_id = t.treating_gp_id offset 0) i on true`)}
      ), gone as (
        delete from ${s}.treating_gp_spans g using t where g.network_id = t.network_id and g.treating_gp_id = t.treating_gp_id
          and ${notAmong('g', ['network_id', 'treating_gp_id', 'from_on'], 'fresh')}
      )
      insert into ${s}.treating_gp_spans as g (network_id, treating_gp_id, from_on, to_on) select * from fresh
      on conflict (network_id, treating_gp_id, from_on) do update set to_on = excluded.to_on where g.to_on is distinct from excluded.to_on`,
    parameters,
  );
}

/** The inclusions a range of the inbox (`from < seq <= to`, of one part of the networks when given) includes or exits (the spans of their GPs). */
export const spanChangesOfRange = (part?: NetworkPart): string => `select payload->>'inclusionId' from reporting.inbox where ${inboxRangeSql(part)} and type in ('${PatientIncluded.type}', '${ExitRecorded.type}')`;

/** Every span of a fact set, from its inclusions (a layout's upgrade, a rebuild before its switch). */
export const allTreatingGpSpansSql = (s: string): string[] => [
  `truncate ${s}.treating_gp_spans`,
  `insert into ${s}.treating_gp_spans (network_id, treating_gp_id, from_on, to_on) ${spansOf(`from ${s}.inclusions i`)}`,
];
