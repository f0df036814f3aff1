import type { ApolloServer } from '@apollo/server';
import { Identity, issueToken } from '@cnrms/auth';
import express, { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { GatewayContext } from './identity-data-source';

/** One identity the sign-in page offers: a label in French and what it may see. */
export interface DemoIdentity {
  key: string;
  label: string;
  /** e.g. « Coordination régionale », « Psychologue » */
  role: string;
  detail?: string;
  identity: Identity;
}

const PROFESSIONS: Record<string, string> = {
  GENERAL_PRACTITIONER: 'Médecin généraliste',
  PSYCHOLOGIST: 'Psychologue',
  SOCIAL_WORKER: 'Travailleur social',
  PSYCHIATRIST: 'Psychiatre',
  OTHER: 'Professionnel',
};

export const DIRECTORY_QUERY = `query DemoIdentities {
  networks(page: { first: 100 }) {
    nodes {
      id name region
      microstructures(page: { first: 100 }) {
        nodes { id name status members { professionalId profession professional { firstName lastName } } }
      }
    }
  }
}`;

interface DirectoryAnswer {
  networks: {
    nodes: {
      id: string;
      name: string;
      region: string;
      microstructures: { nodes: { id: string; name: string; status: string; members: { professionalId: string; profession: string; professional: { firstName: string; lastName: string } }[] }[] };
    }[];
  };
}

/** The sign-in page's identities, built from the directory: national, one coordinator per network, each professional, a funder. */
export function demoIdentities(directory: DirectoryAnswer): DemoIdentity[] {
  const identities: DemoIdentity[] = [
    {
      key: 'demo:national',
      label: 'Coordination nationale (démo)',
      role: 'Coordination nationale',
      identity: { userId: 'demo:national', displayName: 'Coordination nationale (démo)', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] },
    },
  ];
  const professionals = new Map<string, DemoIdentity>();
  for (const network of directory.networks.nodes) {
    const key = `demo:coordination:${network.id}`;
    identities.push({
      key,
      label: `Coordination — ${network.name}`,
      role: 'Coordination régionale',
      detail: network.region,
      identity: { userId: key, displayName: `Coordination ${network.name}`, roles: ['regional_coordinator'], networkIds: [network.id], microstructureIds: [] },
    });
    for (const microstructure of network.microstructures.nodes) {
      for (const member of microstructure.members) {
        const name = `${member.professional.firstName} ${member.professional.lastName}`;
        const existing = professionals.get(member.professionalId);
        if (existing) {
          existing.identity.microstructureIds.push(microstructure.id);
          if (!existing.identity.networkIds.includes(network.id)) existing.identity.networkIds.push(network.id);
          existing.detail = `${existing.detail}, ${microstructure.name}`;
          continue;
        }
        const userId = `demo:${member.professionalId}`;
        professionals.set(member.professionalId, {
          key: userId,
          label: name,
          role: PROFESSIONS[member.profession] ?? 'Professionnel',
          detail: microstructure.name,
          identity: { userId, displayName: name, roles: ['professional'], networkIds: [network.id], microstructureIds: [microstructure.id], professionalId: member.professionalId },
        });
      }
    }
  }
  identities.push(...professionals.values());
  identities.push({
    key: 'demo:funder',
    label: 'Financeur (démo)',
    role: 'Financeur',
    detail: 'Finance les réseaux de démonstration : indicateurs agrégés seulement',
    // A funder sees the networks it funds: here, every demo network.
    identity: { userId: 'demo:funder', displayName: 'Financeur (démo)', roles: ['funder'], networkIds: directory.networks.nodes.map((n) => n.id), microstructureIds: [] },
  });
  return identities;
}

/**
 * Development only (GATEWAY_DEMO_SIGN_IN=true, refused in production by the configuration):
 * `GET /auth/demo/identities` lists the demo directory's identities, `POST /auth/demo/token` `{ key }`
 * issues the token of one of them (8 hours). The directory is read through the gateway itself, as an
 * administrator of this process; the caller chooses only among the listed keys.
 */
export function demoSignInRouter(apollo: ApolloServer<GatewayContext>, secret: string, logger: Logger): Router {
  const router = express.Router();
  const loader: Identity = { userId: 'system:demo-sign-in', displayName: 'Connexion de démonstration', roles: ['admin'], networkIds: [], microstructureIds: [] };

  const list = async (): Promise<DemoIdentity[]> => {
    const response = await apollo.executeOperation({ query: DIRECTORY_QUERY }, { contextValue: { identity: loader, correlationId: 'demo-sign-in', trace: {} } });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    if (!result?.data || result.errors?.length) {
      logger.warn({ errors: result?.errors?.map((e) => e.extensions?.code ?? e.message) }, 'demo sign-in: the directory did not answer');
      throw new Error('annuaire indisponible');
    }
    return demoIdentities(result.data as unknown as DirectoryAnswer);
  };
  const unavailable = (res: Response) => res.status(503).json({ error: 'L’annuaire ne répond pas encore : réessayez dans quelques secondes.' });

  router.get('/identities', async (_req: Request, res: Response) => {
    try {
      res.json({ identities: (await list()).map(({ key, label, role, detail, identity }) => ({ key, label, role, detail, roles: identity.roles })) });
    } catch {
      unavailable(res);
    }
  });
  router.post('/token', express.json({ limit: 2_000 }), async (req: Request, res: Response) => {
    const key = typeof req.body?.key === 'string' ? req.body.key : '';
    let identities: DemoIdentity[];
    try {
      identities = await list();
    } catch {
      return unavailable(res);
    }
    const chosen = identities.find((i) => i.key === key);
    if (!chosen) return res.status(404).json({ error: 'Identité de démonstration inconnue.' });
    logger.info({ userId: chosen.identity.userId }, 'demo sign-in: token issued');
    res.json({ token: issueToken(chosen.identity, { secret, expiresIn: '8h' }), identity: chosen.identity });
  });
  return router;
}
