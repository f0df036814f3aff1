import { Deployment, SINGLE_DEPLOYMENT } from '@cnrms/messaging';
import { ConfigurationError } from './config';

const ALIAS = /^[a-z][a-z0-9-]{0,30}$/;
const list = (raw: string | undefined) => (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Which deployment this service belongs to (docs/deployments.md), from its environment:
 * - `DEPLOYMENT_KIND`: `single` (default: today's one platform), `national` or `regional`;
 * - `DEPLOYMENT_ID`: this deployment's alias (`national`, `region-a`…), its MirrorMaker cluster alias;
 * - `DEPLOYMENT_NETWORKS`: the networks it owns (comma-separated ids);
 * - regional: `FEDERATION_NATIONAL_ID` (default `national`), the national deployment's alias;
 * - national: `FEDERATION_REGIONS`, the regional deployments it receives from, each `alias` or
 *   `alias:networkId|networkId` (their networks: an event of `alias` about another network is dead-lettered).
 */
export function deploymentFrom(env: NodeJS.ProcessEnv = process.env): { deployment: Deployment; owners: Map<string, string[]> } {
  const kind = env.DEPLOYMENT_KIND || 'single';
  if (kind === 'single') return { deployment: SINGLE_DEPLOYMENT, owners: new Map() };
  if (kind !== 'national' && kind !== 'regional') throw new ConfigurationError([`DEPLOYMENT_KIND : « ${kind} » n'est ni single, ni national, ni regional`]);
  const problems: string[] = [];
  const alias = (value: string, name: string) => {
    if (!ALIAS.test(value)) problems.push(`${name} : « ${value} » doit être un nom court en minuscules (lettres, chiffres, tirets)`);
    return value;
  };
  const id = alias(env.DEPLOYMENT_ID ?? (kind === 'national' ? 'national' : ''), 'DEPLOYMENT_ID');
  const nationalId = alias(env.FEDERATION_NATIONAL_ID || 'national', 'FEDERATION_NATIONAL_ID');
  const networks = list(env.DEPLOYMENT_NETWORKS);
  const owners = new Map<string, string[]>();
  const regions: string[] = [];
  if (kind === 'national') {
    for (const entry of list(env.FEDERATION_REGIONS)) {
      const [name, nets = ''] = entry.split(':');
      regions.push(alias(name, 'FEDERATION_REGIONS'));
      owners.set(name, nets.split('|').filter(Boolean));
    }
    if (regions.includes(id)) problems.push(`FEDERATION_REGIONS : « ${id} » est le nom du déploiement national lui-même`);
  } else {
    if (networks.length === 0) problems.push('DEPLOYMENT_NETWORKS : un déploiement régional doit nommer le réseau qu’il porte');
    if (id === nationalId) problems.push(`DEPLOYMENT_ID : « ${id} » est aussi le nom du déploiement national`);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { deployment: { kind, id, nationalId, regions, networks }, owners };
}
