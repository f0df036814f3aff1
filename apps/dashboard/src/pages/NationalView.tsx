import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { ErrorMessage, Loading, PageTitle, Section } from '../components/common';
import { AnswerMeta, CatalogueState, TotalsChart, useCatalogue } from '../components/Reporting';
import { DeploymentFreshness } from '../components/DeploymentFreshness';
import { RegionMap, regionKey, RegionValue } from '../components/RegionMap';
import { elapsedMonthsRange, monthLabel, PERIODS, periodRange } from '../lib/dates';
import { ANSWER_FIELDS, formatIndicatorValue, IndicatorCell, seriesOf, suppressionText } from '../lib/indicators';
import { MICROSTRUCTURE_KIND } from '../lib/labels';
import type { NationalIndicatorQuery, NationalIndicatorVariables, NationalNetworksQuery, NationalNetworksVariables } from '../generated/graphql';

const REPORTING = `query NationalIndicator($code: String!, $period: PeriodInput!, $filter: IndicatorFilterInput) {
  indicator(code: $code, period: $period, groupBy: ["NETWORK"], filter: $filter) { ${ANSWER_FIELDS} }
}`;

type NetworkRow = NationalNetworksQuery['networks']['nodes'][number];

const NETWORKS = `query NationalNetworks {
  nationalNetwork { name networkCount activeMicrostructureCount }
  networks(page: { first: 100 }) {
    totalCount
    nodes { id name region microstructures(page: { first: 100 }) { totalCount nodes { id kind status openedOn completeness { complete } } } }
  }
}`;

/** One aliased meetingsOfNetwork per network: a single request for the whole country. */
function meetingsQuery(ids: string[]): string {
  const fields = ids.map((_, i) => `n${i}: meetingsOfNetwork(networkId: $id${i}, from: $from, to: $to) { id microstructureId status heldOn }`).join('\n  ');
  const args = ids.map((_, i) => `$id${i}: ID!`).join(', ');
  return `query NationalMeetings(${args}, $from: String!, $to: String!) {\n  ${fields}\n}`;
}

interface Indicator {
  key: string;
  label: string;
  unit?: string;
  value: (row: Computed) => number | null;
}
interface Computed {
  network: NetworkRow;
  active: number;
  complete: number;
  openedInPeriod: number;
  held: number;
  perMonth: number[];
}

const INDICATORS: Indicator[] = [
  { key: 'active', label: 'Microstructures actives', value: (r) => r.active },
  { key: 'complete', label: 'Équipes complètes (MG, psychologue, TS)', unit: ' %', value: (r) => (r.active ? Math.round((100 * r.complete) / r.active) : null) },
  { key: 'held', label: 'Réunions de synthèse tenues sur la période', value: (r) => r.held },
  { key: 'opened', label: 'Microstructures ouvertes sur la période', value: (r) => r.openedInPeriod },
];

export default function NationalView() {
  const [periodKey, setPeriodKey] = useState('12');
  const [kind, setKind] = useState('');
  const [chosenKey, setIndicatorKey] = useState<string | null>(null);
  const reporting = useCatalogue();
  // Indicators of the reporting service that can be cut by network, month by month.
  const reportingIndicators = (reporting.catalogue?.indicators ?? []).filter((i) => i.available && i.dimensions.includes('NETWORK') && i.granularities.includes('MONTH'));
  const indicatorKey = chosenKey ?? (reportingIndicators.some((i) => i.code === 'active_caseload') ? 'rep:active_caseload' : 'active');
  const reportingCode = indicatorKey.startsWith('rep:') ? indicatorKey.slice(4) : null;
  const period = PERIODS.find((p) => p.key === periodKey)!;
  const range = useMemo(() => periodRange(period.months), [period.months]);
  // The reporting service's indicators: whole months that have elapsed.
  const reportRange = useMemo(() => elapsedMonthsRange(period.months), [period.months]);
  const [directory, refetch] = useQuery<NationalNetworksQuery, NationalNetworksVariables>({ query: NETWORKS });
  const networks = useMemo(() => directory.data?.networks.nodes ?? [], [directory.data]);
  const ids = networks.map((n) => n.id);
  const meetingsVariables = useMemo(() => Object.fromEntries([...ids.map((id, i) => [`id${i}`, id]), ['from', range.from], ['to', range.to]]), [ids.join(','), range]); // eslint-disable-line react-hooks/exhaustive-deps
  const [meetings] = useQuery<Record<string, { id: string; microstructureId: string; status: string; heldOn: string | null }[]>>({
    query: ids.length ? meetingsQuery(ids) : '{ __typename }',
    variables: meetingsVariables,
    pause: ids.length === 0,
  });

  const [answer] = useQuery<NationalIndicatorQuery, NationalIndicatorVariables>({
    query: REPORTING,
    variables: { code: reportingCode ?? '', period: { from: reportRange.from, to: reportRange.to, granularity: 'MONTH' }, filter: kind ? { microstructureKinds: [kind] } : {} },
    pause: !reportingCode,
  });
  const reported = reportingCode && answer.data?.indicator.code === reportingCode ? answer.data.indicator : undefined;

  const rows: Computed[] = useMemo(
    () =>
      networks.map((network, i) => {
        const kept = network.microstructures.nodes.filter((m) => !kind || m.kind === kind);
        const keptIds = new Set(kept.map((m) => m.id));
        const active = kept.filter((m) => m.status === 'ACTIVE');
        const held = (meetings.data?.[`n${i}`] ?? []).filter((m) => m.status === 'HELD' && m.heldOn && keptIds.has(m.microstructureId));
        return {
          network,
          active: active.length,
          complete: active.filter((m) => m.completeness.complete).length,
          openedInPeriod: kept.filter((m) => m.openedOn && m.openedOn >= range.from && m.openedOn <= range.to).length,
          held: held.length,
          perMonth: range.months.map((month) => held.filter((m) => m.heldOn!.startsWith(month)).length),
        };
      }),
    [networks, meetings.data, kind, range],
  );
  const definition = reportingIndicators.find((i) => i.code === reportingCode);
  const directoryIndicator = INDICATORS.find((i) => i.key === indicatorKey);
  const indicatorLabel = definition?.label ?? directoryIndicator?.label ?? '';
  /** The selected indicator for one network: its monthly series (sparkline) and its last month's cell (map, table). */
  const seriesFor = (row: Computed): { values: (number | null)[]; latest: { value: number | null; cell?: IndicatorCell } } => {
    if (!reportingCode) return { values: row.perMonth, latest: { value: directoryIndicator?.value(row) ?? null } };
    const cells = reported ? seriesOf(reported, 'NETWORK', row.network.id, reportRange.months) : [];
    const last = cells[cells.length - 1];
    return { values: cells.map((c) => (c && !c.suppressed ? c.value : null)), latest: { value: last && !last.suppressed ? last.value : null, cell: last } };
  };
  const unitOf = (value: number | null) => (definition ? formatIndicatorValue(value, definition.unit) : `${value ?? '—'}${directoryIndicator?.unit ?? ''}`);
  const byRegion = new Map<string, RegionValue>();
  for (const row of rows) {
    const key = regionKey(row.network.region);
    const { latest } = seriesFor(row);
    const previous = byRegion.get(key);
    const note = latest.cell?.suppressed ? `masqué (${suppressionText(latest.cell)})` : undefined;
    // Several networks in one region: counts add up; otherwise the first network's value (the table has each).
    const adds = previous && previous.value !== null && latest.value !== null && (definition ? definition.unit === 'COUNT' : !directoryIndicator?.unit);
    byRegion.set(key, adds ? { ...previous, value: previous!.value! + latest.value! } : { value: latest.value, note, to: `/reseaux/${row.network.id}` });
  }
  const trend = range.months.map((month, m) => ({ month: monthLabel(month), held: rows.reduce((sum, r) => sum + r.perMonth[m], 0), opened: rows.reduce((sum, r) => sum + r.network.microstructures.nodes.filter((x) => (!kind || x.kind === kind) && x.openedOn?.startsWith(month)).length, 0) }));

  // Marks read by tools/bench/dashboard-first-paint.ts: the networks drawn, then the reporting indicator drawn.
  const ready = Boolean(directory.data);
  useEffect(() => {
    if (ready && !performance.getEntriesByName('national-view-ready').length) performance.mark('national-view-ready');
  }, [ready]);
  const indicatorsDrawn = ready && Boolean(reported);
  useEffect(() => {
    if (indicatorsDrawn && !performance.getEntriesByName('national-view-indicators').length) performance.mark('national-view-indicators');
  }, [indicatorsDrawn]);

  return (
    <>
      <PageTitle title="Vue nationale">Vue nationale</PageTitle>
      {directory.data?.nationalNetwork && (
        <p className="subtitle">
          {directory.data.nationalNetwork.name} · {directory.data.nationalNetwork.networkCount} réseaux régionaux · {directory.data.nationalNetwork.activeMicrostructureCount} microstructures actives
        </p>
      )}
      <DeploymentFreshness />
      <form className="toolbar" aria-label="Filtres" onSubmit={(e) => e.preventDefault()}>
        <label>
          Période
          <select value={periodKey} onChange={(e) => setPeriodKey(e.target.value)}>
            {PERIODS.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type de microstructure
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Tous</option>
            {Object.entries(MICROSTRUCTURE_KIND).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Indicateur
          <select value={indicatorKey} onChange={(e) => setIndicatorKey(e.target.value)}>
            <optgroup label="Annuaire et réunions">
              {INDICATORS.map((i) => (
                <option key={i.key} value={i.key}>
                  {i.label}
                </option>
              ))}
            </optgroup>
            {reportingIndicators.length > 0 && (
              <optgroup label="Indicateurs de suivi (reporting, dernier mois)">
                {reportingIndicators.map((i) => (
                  <option key={i.code} value={`rep:${i.code}`}>
                    {i.label} ({i.unitLabel})
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
      </form>
      {directory.fetching && !directory.data && <Loading what="les réseaux" />}
      {directory.error && <ErrorMessage error={directory.error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {meetings.error && <ErrorMessage error={meetings.error} />}
      {directory.data && (
        <div className="columns national">
          <Section title={`Carte : ${indicatorLabel.toLowerCase()}${reportingCode ? ' (dernier mois)' : ''}`} id="map">
            {reportingCode && answer.fetching && !reported && <Loading what="l’indicateur" />}
            {reportingCode && answer.error && <ErrorMessage error={answer.error} />}
            <RegionMap values={byRegion} indicatorLabel={indicatorLabel} format={unitOf} />
          </Section>
          <Section title="Réseaux régionaux" id="networks">
            <div className="table-wrap">
              <table data-testid="national-table">
                <thead>
                  <tr>
                    <th scope="col">Réseau</th>
                    <th scope="col">Région</th>
                    <th scope="col" className="num">
                      Actives
                    </th>
                    <th scope="col" className="num">
                      Équipes complètes
                    </th>
                    <th scope="col" className="num">
                      Réunions tenues
                    </th>
                    <th scope="col" className="num" title={indicatorLabel}>
                      {reportingCode ? 'Dernier mois' : 'Valeur'}
                      <span className="visually-hidden"> : {indicatorLabel}</span>
                    </th>
                    <th scope="col">Tendance par mois</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.network.id}>
                      <th scope="row">
                        <Link to={`/reseaux/${row.network.id}`}>{row.network.name}</Link>
                      </th>
                      <td>{row.network.region}</td>
                      <td className="num">{row.active}</td>
                      <td className="num">{row.active ? `${row.complete} / ${row.active}` : '—'}</td>
                      <td className="num">{meetings.fetching && !meetings.data ? '…' : row.held}</td>
                      <td className="num">
                        {(() => {
                          const { latest } = seriesFor(row);
                          if (latest.cell?.suppressed)
                            return (
                              <span className="suppressed" title={suppressionText(latest.cell)} data-testid="suppressed-cell">
                                masqué<span className="visually-hidden"> : {suppressionText(latest.cell)}</span>
                              </span>
                            );
                          return reportingCode && !reported ? '…' : unitOf(latest.value);
                        })()}
                      </td>
                      <td aria-label={`${indicatorLabel} par mois : ${seriesFor(row).values.map((v) => (v === null ? 'masqué ou sans donnée' : unitOf(v))).join(', ')}`}>
                        <LineChart width={120} height={28} data={seriesFor(row).values.map((v) => ({ v }))}>
                          <Line type="monotone" dataKey="v" stroke="#08519c" strokeWidth={2} dot={false} isAnimationActive={false} />
                        </LineChart>
                      </td>
                    </tr>
                  ))}
                  {rows.length === 0 && (
                    <tr>
                      <td colSpan={7}>Aucun réseau régional pour l’instant.</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            {reportingCode && <p className="legend">Un mois masqué (trop peu de patients) laisse un vide dans la tendance ; « masqué » au dernier mois donne le motif au survol.</p>}
          </Section>
        </div>
      )}
      {directory.data && reported && (
        <Section title={`Tendance par mois : ${reported.indicator.label.toLowerCase()} (${reported.indicator.unitLabel})`} id="trend">
          <AnswerMeta answer={reported} threshold={reporting.catalogue?.threshold} />
          <TotalsChart answer={reported} />
        </Section>
      )}
      {directory.data && !reportingCode && (
        <Section title="Tendance par mois" id="trend">
          <div className="chart" role="img" aria-label={`Réunions tenues et microstructures ouvertes par mois : ${trend.map((t) => `${t.month} ${t.held} et ${t.opened}`).join(' ; ')}`}>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={trend}>
                <CartesianGrid strokeDasharray="3 3" stroke="#ccc" />
                <XAxis dataKey="month" />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="held" name="Réunions de synthèse tenues" fill="#08519c" isAnimationActive={false} />
                <Bar dataKey="opened" name="Microstructures ouvertes" fill="#e6550d" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Section>
      )}
      {!reporting.catalogue && (
        <Section title="Indicateurs de suivi des patients" id="reporting">
          <CatalogueState state={reporting} />
        </Section>
      )}
    </>
  );
}
