import { refuseControlCharacters } from './text-input';

describe('refuseControlCharacters', () => {
  it.each([
    ['U+0000', 'Zé\u0000ro'],
    ['U+001B (escape)', 'a\u001Bb'],
    ['U+007F (delete)', 'a\u007F'],
    ['U+0085 (C1)', 'a\u0085'],
  ])('refuses %s with CONTROL_CHARACTER naming the field, never the value', (_, value) => {
    try {
      refuseControlCharacters({ patient: { names: ['ok', value] } });
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONTROL_CHARACTER', field: 'patient.names[1]' });
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('accepts ordinary text, accents, tabs and line breaks, numbers, nulls', () => {
    expect(() => refuseControlCharacters({ name: 'Léa Ñúñez-O’Brien', notes: 'ligne 1\nligne 2\r\n\tretrait', age: 3, gone: null, list: [] })).not.toThrow();
  });
});
