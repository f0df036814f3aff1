import { useQuery } from 'urql';
import type { DeploymentFreshnessQuery, DeploymentFreshnessVariables } from '../generated/graphql';

const QUERY = 'query DeploymentFreshness { reportingDeployments { deployment dataUpTo late label } }';

/**
 * National view: the regions that run their own platform, each with the date its data is counted up to
 * (« données au … ») and a warning when its link is late (docs/deployments.md). Nothing outside a national deployment.
 */
export function DeploymentFreshness() {
  const [result] = useQuery<DeploymentFreshnessQuery, DeploymentFreshnessVariables>({ query: QUERY });
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
