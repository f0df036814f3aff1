import { signIdentityHeaders } from '@cnrms/auth';
import { GraphQLError } from 'graphql';
import { subgraphContext } from './identity';

const secret = 'a-test-secret-of-at-least-32-characters!';
const ENTITIES = '{ _entities(representations: [{ __typename: "Professional", id: "p-1" }]) { ... on Professional { id } } }';
const coordinator = { userId: 'u-1', roles: ['regional_coordinator' as const], networkIds: ['net-a'], microstructureIds: [] };

function refusal(action: () => unknown): GraphQLError {
  try {
    action();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('accepted');
}

describe('subgraph context: the gateway only', () => {
  it('refuses a request the gateway did not sign, federation entry points included', () => {
    for (const query of [ENTITIES, '{ _service { sdl } }', '{ networks { totalCount } }']) {
      const error = refusal(() => subgraphContext({ headers: {}, body: { query } }, secret));
      expect(error).toBeInstanceOf(GraphQLError);
      expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'GATEWAY_SIGNATURE_REQUIRED', http: { status: 401 } });
    }
  });

  it('refuses a signature captured for another operation (replay)', () => {
    const headers = signIdentityHeaders(coordinator, secret, { query: '{ networks { totalCount } }' });
    expect(refusal(() => subgraphContext({ headers, body: { query: ENTITIES } }, secret)).extensions).toMatchObject({ reason: 'IDENTITY_SIGNATURE_INVALID' });
  });

  it('accepts the gateway’s signed caller, and its signed "no user" marker as anonymous', () => {
    expect(subgraphContext({ headers: signIdentityHeaders(coordinator, secret, { query: ENTITIES }), body: { query: ENTITIES } }, secret).identity).toEqual(coordinator);
    expect(subgraphContext({ headers: signIdentityHeaders(null, secret, { query: ENTITIES }), body: { query: ENTITIES } }, secret).identity).toBeNull();
  });
});
