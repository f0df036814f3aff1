import { parse } from 'graphql';
import { controlCharacterGuard, controlCharacterPath } from './text-input';

describe('control characters in a request', () => {
  it.each([
    ['U+0000', 'Zé\u0000ro'],
    ['U+001B (escape)', 'a\u001Bb'],
    ['U+007F (delete)', 'a\u007F'],
    ['U+0085 (C1)', 'a\u0085'],
  ])('finds %s with the path of its field', (_, value) => {
    expect(controlCharacterPath({ input: { patient: { names: ['ok', value] } } })).toBe('variables.input.patient.names[1]');
    expect(controlCharacterPath({ input: { [`k${value}`]: 1 } })).toBe('variables.input');
  });

  it('accepts ordinary text, accents, right-to-left text, tabs and line breaks, numbers, nulls', () => {
    expect(controlCharacterPath({ name: 'Léa Ñúñez-O’Brien', rtl: 'Réseau ‮ خطأ', notes: 'ligne 1\nligne 2\r\n\tretrait', age: 3, flag: true, gone: null, list: [] })).toBeUndefined();
  });

  it('refuses the request with CONTROL_CHARACTER naming the field, never the value, from the variables or from the query itself', async () => {
    const hooks = await controlCharacterGuard().requestDidStart!({} as never);
    const run = (variables: Record<string, unknown>, query: string) => hooks!.didResolveOperation!({ request: { variables }, document: parse(query) } as never);
    const refused = run({ id: 'secret\u0000' }, 'mutation($id: ID!) { f(id: $id) }');
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'CONTROL_CHARACTER' }, originalError: { code: 'CONTROL_CHARACTER', details: { field: 'variables.id' } } });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
    await expect(run({}, 'mutation { f(id: "x\\u001B") }')).rejects.toMatchObject({ originalError: { code: 'CONTROL_CHARACTER', details: { field: 'query' } } });
    await expect(run({ id: 'x' }, 'mutation($id: ID!) { f(id: $id, name: "é\\tb") }')).resolves.toBeUndefined();
  });
});
