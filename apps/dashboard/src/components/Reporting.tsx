import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { frenchDate } from '../lib/dates';
import { isMissingFromSchema } from '../lib/errors';
import { CATALOGUE_FIELDS, formatIndicatorValue, IndicatorAnswer, IndicatorDefinition, pivot, suppressionText } from '../lib/indicators';
import { ErrorMessage, Loading, Unavailable } from './common';
import type { IndicatorCatalogueQuery, IndicatorCatalogueVariables } from '../generated/graphql';

const CATALOGUE = `query IndicatorCatalogue { indicatorCatalogue { ${CATALOGUE_FIELDS} } reportingDimensions { code label } reportingSettings { suppressionThreshold maxPeriodMonths } }`;

export interface Catalogue {
  indicators: IndicatorDefinition[];
  dimensions: { code: string; label: string }[];
  threshold: number;
  maxPeriodMonths: number;
}

/** The reporting service's catalogue; `missing` when the gateway does not know the reporting API (service not delivered). */
export function useCatalogue() {
  const [{ data, fetching, error }, refetch] = useQuery<IndicatorCatalogueQuery, IndicatorCatalogueVariables>({ query: CATALOGUE });
  const missing = isMissingFromSchema(error);
  const catalogue: Catalogue | undefined = data
    ? { indicators: data.indicatorCatalogue, dimensions: data.reportingDimensions, threshold: data.reportingSettings.suppressionThreshold, maxPeriodMonths: data.reportingSettings.maxPeriodMonths }
    : undefined;
  return { catalogue, fetching, missing, error: missing ? undefined : error, refetch: () => refetch({ requestPolicy: 'network-only' }) };
}

export function IndicatorsUnavailable({ reason }: { reason?: string }) {
  return (
    <Unavailable title="Indicateurs indisponibles">
      {reason ??
        'Le service des indicateurs (reporting) ne répond pas sur cette plateforme : les indicateurs de file active, de suivi et de résultats apparaîtront ici dès qu’il répondra. Aucun chiffre n’est inventé en attendant.'}
    </Unavailable>
  );
}

/** Loading, unavailable or error states of the catalogue, or null when it is there. */
export function CatalogueState({ state }: { state: ReturnType<typeof useCatalogue> }) {
  if (state.fetching && !state.catalogue) return <Loading what="le catalogue des indicateurs" />;
  if (state.missing) return <IndicatorsUnavailable />;
  if (state.error && !state.catalogue) {
    if (state.error.graphQLErrors.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')) return <IndicatorsUnavailable />;
    return <ErrorMessage error={state.error} retry={state.refetch} />;
  }
  return null;
}

/** « Données arrêtées au … » and the suppression rule, as the answer states them. */
export function AnswerMeta({ answer, threshold }: { answer: IndicatorAnswer; threshold?: number }) {
  return (
    <p className="muted answer-meta">
      Du {frenchDate(answer.from)} au {frenchDate(answer.to)} · événements pris en compte jusqu’au {answer.eventsUpTo ? frenchDate(answer.eventsUpTo) : '—'} · calculé le {frenchDate(answer.asOf)}
      {answer.suppressionApplied && (
        <>
          {' '}
          · cases de moins de {threshold ?? 'quelques'} patients masquées (et leurs compléments) ; les autres effectifs sont légèrement perturbés, toujours de la même façon pour les mêmes patients, pour qu’aucun croisement de réponses ne désigne un patient
        </>
      )}
    </p>
  );
}

/** Periods × groups; a masked cell says so and why, never a figure. */
export function IndicatorTable({ answer, dimensionLabels }: { answer: IndicatorAnswer; dimensionLabels: Map<string, string> }) {
  const table = pivot(answer);
  const unit = answer.indicator.unit;
  const value = (cell: IndicatorAnswer['cells'][number] | undefined) => {
    if (!cell) return <span className="muted">—</span>;
    if (cell.suppressed)
      return (
        <span className="suppressed" title={suppressionText(cell)} data-testid="suppressed-cell">
          masqué<span className="visually-hidden"> : {suppressionText(cell)}</span>
          <sup aria-hidden="true">{cell.suppression === 'COMPLEMENTARY' ? '†' : '*'}</sup>
        </span>
      );
    // A rate of meetings per open microstructure-month is not a number of meetings: the count stands beside it.
    if (unit === 'MEETINGS_PER_MICROSTRUCTURE_MONTH' && cell.numerator !== null) {
      return (
        <>
          {formatIndicatorValue(cell.value, unit)} <span className="muted">({cell.numerator} réunion{cell.numerator > 1 ? 's' : ''} tenue{cell.numerator > 1 ? 's' : ''})</span>
        </>
      );
    }
    return formatIndicatorValue(cell.value, unit);
  };
  const anySuppressed = [...answer.cells, ...answer.totals].some((c) => c.suppressed);
  return (
    <div className="table-wrap">
      <table className="indicator-table" data-testid={`indicator-${answer.code}`}>
        <caption className="visually-hidden">
          {answer.indicator.label} ({answer.indicator.unitLabel}) par période{answer.groupBy.length ? ` et par ${answer.groupBy.map((g) => dimensionLabels.get(g) ?? g).join(', ')}` : ''}
        </caption>
        <thead>
          <tr>
            {answer.groupBy.map((g) => (
              <th scope="col" key={g}>
                {dimensionLabels.get(g) ?? g}
              </th>
            ))}
            {answer.groupBy.length === 0 && <th scope="col">Périmètre</th>}
            {table.periods.map((p) => (
              <th scope="col" className="num" key={p.code}>
                {p.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key}>
              {row.labels.map((l, i) => (
                <th scope="row" key={i}>
                  {l}
                </th>
              ))}
              {table.periods.map((p) => (
                <td className="num" key={p.code}>
                  {value(row.cells.get(p.code))}
                </td>
              ))}
            </tr>
          ))}
          <tr className="total">
            <th scope="row" colSpan={Math.max(1, answer.groupBy.length)}>
              Total
            </th>
            {table.periods.map((p) => (
              <td className="num" key={p.code}>
                {value(table.totals.get(p.code))}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {anySuppressed && (
        <p className="legend" data-testid="suppression-legend">
          * masqué : la case compte trop peu de patients (secret statistique). † masqué en complément : pour qu’aucune case masquée ne se retrouve par différence avec le total.
        </p>
      )}
    </div>
  );
}

/** The totals over the periods, as a line (masked periods leave a gap). */
export function TotalsChart({ answer }: { answer: IndicatorAnswer }) {
  const table = pivot(answer);
  const data = table.periods.map((p) => ({ period: p.label, value: table.totals.get(p.code)?.value ?? null }));
  if (data.length < 2) return null;
  return (
    <div className="chart" role="img" aria-label={`${answer.indicator.label}, total par période : ${data.map((d) => `${d.period} ${formatIndicatorValue(d.value, answer.indicator.unit)}`).join(' ; ')}`}>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ccc" />
          <XAxis dataKey="period" />
          <YAxis />
          <Tooltip formatter={(v) => formatIndicatorValue(typeof v === 'number' ? v : null, answer.indicator.unit)} />
          <Line type="monotone" dataKey="value" name={answer.indicator.label} stroke="#08519c" strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ReportingState() {
  const state = useCatalogue();
  return <CatalogueState state={state} />;
}
