import { parse } from 'graphql';
import { nulCharacterGuard, nulCharacterPath } from './nul-characters';

describe('NUL characters in a request', () => {
  it('finds the first string holding one, with its path', () => {
    expect(nulCharacterPath({ input: { name: 'ok', ids: ['a', 'b\u0000'] } })).toBe('variables.input.ids[1]');
    expect(nulCharacterPath({ input: { ['k\u0000']: 1 } })).toBe('variables.input');
    expect(nulCharacterPath({ input: { name: 'Réseau ‮ خطأ', n: 3, flag: true, none: null } })).toBeUndefined();
  });

  it('refuses the request with INVALID_CHARACTER, from the variables or from the query itself', async () => {
    const hooks = await nulCharacterGuard().requestDidStart!({} as never);
    const run = (variables: Record<string, unknown>, query: string) => hooks!.didResolveOperation!({ request: { variables }, document: parse(query) } as never);
    await expect(run({ id: 'x\u0000' }, 'mutation($id: ID!) { f(id: $id) }')).rejects.toMatchObject({ extensions: { code: 'INVALID_CHARACTER' }, originalError: { code: 'INVALID_CHARACTER', details: { field: 'variables.id' } } });
    await expect(run({}, 'mutation { f(id: "x\\u0000") }')).rejects.toMatchObject({ originalError: { code: 'INVALID_CHARACTER', details: { field: 'query' } } });
    await expect(run({ id: 'x' }, 'mutation($id: ID!) { f(id: $id, name: "é") }')).resolves.toBeUndefined();
  });
});
