import { FormEvent, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { CodeSelect, ErrorMessage, Loading, PageTitle, Section } from '../components/common';
import { AnswerMeta, CatalogueState, IndicatorTable, TotalsChart, useCatalogue } from '../components/Reporting';
import { useIdentity } from '../components/session';
import { downloadCsv } from '../lib/csv';
import { elapsedMonthsRange, endOfMonth, frenchDate, parisToday } from '../lib/dates';
import { frenchError } from '../lib/errors';
import { ANSWER_FIELDS, GRANULARITY } from '../lib/indicators';
import { MICROSTRUCTURE_KIND } from '../lib/labels';
import type { Granularity, IndicatorExportQuery, IndicatorExportVariables, IndicatorsQuery, IndicatorsVariables, MicrostructureKind } from '../generated/graphql';

const ANSWERS = `query Indicators($codes: [String!]!, $period: PeriodInput!, $groupBy: [String!], $filter: IndicatorFilterInput) {
  indicators(codes: $codes, period: $period, groupBy: $groupBy, filter: $filter) { ${ANSWER_FIELDS} }
}`;
const EXPORT = `query IndicatorExport($code: String!, $period: PeriodInput!, $groupBy: [String!], $filter: IndicatorFilterInput) {
  indicatorExport(code: $code, period: $period, format: CSV, groupBy: $groupBy, filter: $filter) { fileName contentType content }
}`;

type Request = Omit<IndicatorsVariables, 'groupBy' | 'filter'> & { groupBy: string[]; filter: { microstructureKinds?: MicrostructureKind[] } };

/** The funders' (and coordinations') indicator explorer: choose indicators, period, grouping; masked cells shown as such; CSV export; printable. */
export default function IndicatorsView() {
  const state = useCatalogue();
  const identity = useIdentity();
  const [request, setRequest] = useState<Request>(() => {
    const { from, to } = elapsedMonthsRange(6);
    return { codes: ['active_caseload', 'new_inclusions', 'meetings_held'], period: { from, to, granularity: 'MONTH' }, groupBy: ['NETWORK'], filter: {} };
  });
  const catalogue = state.catalogue;
  const available = useMemo(() => catalogue?.indicators.filter((i) => i.available) ?? [], [catalogue]);
  const codes = request.codes.filter((c) => available.some((i) => i.code === c));
  const [answers, refetch] = useQuery<IndicatorsQuery, IndicatorsVariables>({ query: ANSWERS, variables: { ...request, codes }, pause: !catalogue || codes.length === 0 });
  const dimensionLabels = useMemo(() => new Map((catalogue?.dimensions ?? []).map((d) => [d.code, d.label])), [catalogue]);

  const header = <PageTitle title="Explorateur d’indicateurs">Explorateur d’indicateurs</PageTitle>;
  if (!catalogue)
    return (
      <>
        {header}
        <Section title="Indicateurs" id="explorer">
          <CatalogueState state={state} />
        </Section>
      </>
    );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const from = String(f.get('from'));
    const to = String(f.get('to'));
    const groupBy = [String(f.get('groupBy') ?? ''), String(f.get('groupBy2') ?? '')].filter(Boolean);
    const kind = String(f.get('kind') ?? '');
    setRequest({ codes: f.getAll('code').map(String), period: { from: `${from}-01`, to: endOfMonth(to), granularity: String(f.get('granularity')) as Granularity }, groupBy: [...new Set(groupBy)], filter: kind ? { microstructureKinds: [kind as MicrostructureKind] } : {} });
  };
  // Groupings every chosen indicator accepts.
  const chosen = available.filter((i) => codes.includes(i.code));
  const groupings = catalogue.dimensions.filter((d) => chosen.every((i) => i.dimensions.includes(d.code)));

  return (
    <>
      {header}
      <p className="print-only">
        Rapport imprimé le {frenchDate(parisToday())} par {identity.displayName ?? identity.userId}.
      </p>
      <form className="explorer card no-print" onSubmit={submit} aria-label="Choisir les indicateurs">
        <fieldset className="indicator-choice">
          <legend>Indicateurs</legend>
          {available.map((i) => (
            <label key={i.code} className="check-line" title={i.description}>
              <input type="checkbox" name="code" value={i.code} defaultChecked={codes.includes(i.code)} />
              {i.label}
              {i.published && <span className="badge">publié</span>}
            </label>
          ))}
        </fieldset>
        <div className="explorer-options">
          <label>
            Du mois
            <input type="month" name="from" defaultValue={request.period.from.slice(0, 7)} required />
          </label>
          <label>
            Au mois
            <input type="month" name="to" defaultValue={request.period.to.slice(0, 7)} max={parisToday().slice(0, 7)} required />
          </label>
          <label>
            Découpage
            <CodeSelect name="granularity" labels={GRANULARITY} defaultValue={request.period.granularity} />
          </label>
          <label>
            Regrouper par
            <select name="groupBy" defaultValue={request.groupBy[0] ?? ''}>
              <option value="">Aucun regroupement</option>
              {groupings.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Puis par
            <select name="groupBy2" defaultValue={request.groupBy[1] ?? ''}>
              <option value="">—</option>
              {groupings.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Type de microstructure
            <select name="kind" defaultValue={request.filter.microstructureKinds?.[0] ?? ''}>
              <option value="">Tous</option>
              {Object.entries(MICROSTRUCTURE_KIND).map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <div className="form-actions">
            <button type="submit">Afficher</button>{' '}
            <button type="button" className="secondary" onClick={() => window.print()}>
              Imprimer le rapport
            </button>
          </div>
        </div>
        {catalogue.indicators.some((i) => !i.available) && (
          <details>
            <summary>Indicateurs pas encore calculables ({catalogue.indicators.filter((i) => !i.available).length})</summary>
            <ul>
              {catalogue.indicators
                .filter((i) => !i.available)
                .map((i) => (
                  <li key={i.code}>
                    {i.label} : {i.unavailableReason}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </form>
      {codes.length === 0 && <p>Choisissez au moins un indicateur.</p>}
      {answers.fetching && !answers.data && <Loading what="les indicateurs" />}
      {answers.error && <ErrorMessage error={answers.error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {answers.data?.indicators.map((answer) => (
        <Section key={answer.code} title={`${answer.indicator.label} (${answer.indicator.unitLabel})`} id={`answer-${answer.code}`} actions={<ExportButton code={answer.code} request={request} />}>
          <p className="definition">
            {answer.indicator.description}
            {answer.indicator.denominator && (
              <>
                {' '}
                — numérateur : {answer.indicator.numerator} ; dénominateur : {answer.indicator.denominator}
              </>
            )}
          </p>
          <AnswerMeta answer={answer} threshold={catalogue.threshold} />
          {!answer.available ? (
            <p className="unavailable">{answer.unavailableReason ?? 'Indicateur indisponible.'}</p>
          ) : (
            <>
              <TotalsChart answer={answer} />
              <IndicatorTable answer={answer} dimensionLabels={dimensionLabels} />
            </>
          )}
        </Section>
      ))}
    </>
  );
}

/** The reporting service writes the CSV (same rights, same masking): the page only saves it. */
function ExportButton({ code, request }: { code: string; request: Request }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="no-print">
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const answer = await client.query<IndicatorExportQuery, IndicatorExportVariables>(EXPORT, { code, period: request.period, groupBy: request.groupBy, filter: request.filter }, { requestPolicy: 'network-only' }).toPromise();
          setBusy(false);
          if (answer.error || !answer.data) return setError(answer.error ? frenchError(answer.error) : 'Export impossible.');
          downloadCsv(answer.data.indicatorExport.fileName, answer.data.indicatorExport.content);
        }}
      >
        {busy ? 'Export…' : 'Exporter en CSV'}
      </button>
      {error && <ErrorMessage error={error} />}
    </span>
  );
}
