import { useQuery } from 'urql';
import { ErrorMessage, Loading, Unavailable } from './common';

const STATUS = `query TrainingStatus { trainingStatus { domainAvailable } }`;

/** The training service's state: until its API lands, a clear « formations indisponibles ». */
export function useTrainingAvailable(): { fetching: boolean; available: boolean; error?: ReturnType<typeof useQuery>[0]['error'] } {
  const [{ data, fetching, error }] = useQuery<{ trainingStatus: { domainAvailable: boolean } }>({ query: STATUS });
  const missing = error?.graphQLErrors.some((e) => /Cannot query field/.test(e.message));
  return { fetching, available: Boolean(data?.trainingStatus?.domainAvailable) || Boolean(missing), error: missing ? undefined : error };
}

export function TrainingsUnavailable() {
  const { fetching, error } = useTrainingAvailable();
  if (fetching) return <Loading what="les formations" />;
  if (error) return <ErrorMessage error={error} />;
  return (
    <Unavailable title="Formations indisponibles">
      Le service des formations n’est pas encore livré sur cette plateforme : le catalogue, les inscriptions, la liste d’attente, les heures et les attestations apparaîtront ici dès
      qu’il le sera. Aucun chiffre n’est affiché en attendant.
    </Unavailable>
  );
}
