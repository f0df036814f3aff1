import { useQuery } from 'urql';

const QUERY = '{ reportingDeployments { deployment dataUpTo late label } }';

type Freshness = { reportingDeployments: { deployment: string; dataUpTo: string | null; late: boolean; label: string }[] };

/**
 * National view: the regions that run their own platform, each with the date its data is counted up to
 * (« données au … ») and a warning when its link is late (docs/deployments.md). Nothing outside a national deployment.
 */
export function DeploymentFreshness() {
  const [result] = useQuery<Freshness>({ query: QUERY });
  const deployments = result.data?.reportingDeployments ?? [];
  if (deployments.length === 0) return null;
  return (
    <ul className="muted answer-meta" aria-label="Plateformes régionales">
      {deployments.map((d) => (
        <li key={d.deployment}>
          Plateforme {d.deployment} : {d.label}
          {d.late && <strong> · lien en retard, les chiffres de cette région s’arrêtent à cette date</strong>}
        </li>
      ))}
    </ul>
  );
}
