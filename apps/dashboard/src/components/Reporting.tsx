import { useQuery } from 'urql';
import { isMissingFromSchema } from '../lib/errors';
import { ErrorMessage, Loading, Unavailable } from './common';

const STATUS = `query ReportingStatus { reportingStatus { domainAvailable } }`;

/** Whether the reporting service answers indicators yet. */
export function useReportingAvailable() {
  const [{ data, fetching, error }] = useQuery<{ reportingStatus: { domainAvailable: boolean } }>({ query: STATUS });
  return { fetching, available: Boolean(data?.reportingStatus.domainAvailable), error: isMissingFromSchema(error) ? undefined : error };
}

export function IndicatorsUnavailable() {
  return (
    <Unavailable title="Indicateurs indisponibles">
      Le service des indicateurs (reporting) n’est pas encore livré sur cette plateforme : les indicateurs de file active, de suivi et de résultats apparaîtront ici dès qu’il le
      sera. Aucun chiffre n’est inventé en attendant.
    </Unavailable>
  );
}

export function ReportingState() {
  const { fetching, available, error } = useReportingAvailable();
  if (fetching) return <Loading what="les indicateurs" />;
  if (error) return <ErrorMessage error={error} />;
  if (!available) return <IndicatorsUnavailable />;
  return <p>Les indicateurs sont disponibles dans l’explorateur.</p>;
}
