import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { ErrorMessage, Loading, PageTitle, Section } from '../components/common';
import { ReportingState } from '../components/Reporting';
import { RegionMap, regionKey, RegionValue } from '../components/RegionMap';
import { monthLabel, PERIODS, periodRange } from '../lib/dates';
import { MICROSTRUCTURE_KIND } from '../lib/labels';

interface NetworkRow {
  id: string;
  name: string;
  region: string;
  microstructures: { totalCount: number; nodes: { id: string; kind: string; status: string; openedOn: string | null; completeness: { complete: boolean } }[] };
}

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
  const [indicatorKey, setIndicatorKey] = useState('active');
  const period = PERIODS.find((p) => p.key === periodKey)!;
  const range = useMemo(() => periodRange(period.months), [period.months]);
  const [directory, refetch] = useQuery<{ nationalNetwork: { name: string; networkCount: number; activeMicrostructureCount: number } | null; networks: { totalCount: number; nodes: NetworkRow[] } }>({ query: NETWORKS });
  const networks = useMemo(() => directory.data?.networks.nodes ?? [], [directory.data]);
  const ids = networks.map((n) => n.id);
  const meetingsVariables = useMemo(() => Object.fromEntries([...ids.map((id, i) => [`id${i}`, id]), ['from', range.from], ['to', range.to]]), [ids.join(','), range]); // eslint-disable-line react-hooks/exhaustive-deps
  const [meetings] = useQuery<Record<string, { id: string; microstructureId: string; status: string; heldOn: string | null }[]>>({
    query: ids.length ? meetingsQuery(ids) : '{ __typename }',
    variables: meetingsVariables,
    pause: ids.length === 0,
  });

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
  const indicator = INDICATORS.find((i) => i.key === indicatorKey)!;
  const byRegion = useMemo(() => {
    const map = new Map<string, RegionValue>();
    for (const row of rows) {
      const key = regionKey(row.network.region);
      const value = indicator.value(row);
      const previous = map.get(key);
      // Several networks in one region: their counts add up; a percentage keeps the first network's (the table has each).
      map.set(key, previous && previous.value !== null && value !== null && !indicator.unit ? { value: previous.value + value } : { value, to: `/reseaux/${row.network.id}` });
    }
    return map;
  }, [rows, indicator]);
  const trend = range.months.map((month, m) => ({ month: monthLabel(month), held: rows.reduce((sum, r) => sum + r.perMonth[m], 0), opened: rows.reduce((sum, r) => sum + r.network.microstructures.nodes.filter((x) => (!kind || x.kind === kind) && x.openedOn?.startsWith(month)).length, 0) }));

  const ready = Boolean(directory.data);
  useEffect(() => {
    if (ready && !performance.getEntriesByName('national-view-ready').length) performance.mark('national-view-ready');
  }, [ready]);

  return (
    <>
      <PageTitle title="Vue nationale">Vue nationale</PageTitle>
      {directory.data?.nationalNetwork && (
        <p className="subtitle">
          {directory.data.nationalNetwork.name} · {directory.data.nationalNetwork.networkCount} réseaux régionaux · {directory.data.nationalNetwork.activeMicrostructureCount} microstructures actives
        </p>
      )}
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
          Indicateur de la carte
          <select value={indicatorKey} onChange={(e) => setIndicatorKey(e.target.value)}>
            {INDICATORS.map((i) => (
              <option key={i.key} value={i.key}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {directory.fetching && !directory.data && <Loading what="les réseaux" />}
      {directory.error && <ErrorMessage error={directory.error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {meetings.error && <ErrorMessage error={meetings.error} />}
      {directory.data && (
        <div className="columns national">
          <Section title={`Carte : ${indicator.label.toLowerCase()}`} id="map">
            <RegionMap values={byRegion} indicatorLabel={indicator.label} unit={indicator.unit} />
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
                    <th scope="col">Réunions par mois</th>
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
                      <td aria-label={`Réunions tenues par mois : ${row.perMonth.join(', ')}`}>
                        <LineChart width={120} height={28} data={row.perMonth.map((v) => ({ v }))}>
                          <Line type="monotone" dataKey="v" stroke="#08519c" strokeWidth={2} dot={false} isAnimationActive={false} />
                        </LineChart>
                      </td>
                    </tr>
                  ))}
                  {rows.length === 0 && (
                    <tr>
                      <td colSpan={6}>Aucun réseau régional pour l’instant.</td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </Section>
        </div>
      )}
      {directory.data && (
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
      <Section title="Indicateurs de suivi des patients" id="reporting">
        <ReportingState />
      </Section>
    </>
  );
}
