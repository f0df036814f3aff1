import { ValidationError } from './errors';
import { isBlank, isIsoDate, isIsoTimestamp, requireCode, requireCodeSet, requireDate, requireId, requireIdList, requireInteger, requirePastDate, requireText } from './values';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).code;
  }
  return undefined;
};

describe('shared value validators', () => {
  it('trims ids and texts and refuses blanks, over-long texts and duplicate ids', () => {
    expect(requireId('  ms-1 ', 'id')).toBe('ms-1');
    expect(codeOf(() => requireId('  ', 'id'))).toBe('ID_REQUIRED');
    expect(requireText(' Lieu ', 'place', 'Le lieu', 10)).toBe('Lieu');
    expect(codeOf(() => requireText('x'.repeat(11), 'place', 'Le lieu', 10))).toBe('TEXT_TOO_LONG');
    expect(requireIdList(undefined, 'ids', 'Le membre')).toEqual([]);
    expect(codeOf(() => requireIdList(['a', 'a'], 'ids', 'Le membre'))).toBe('DUPLICATE_VALUE');
    expect([isBlank(null), isBlank(' '), isBlank('a')]).toEqual([true, true, false]);
  });

  it('accepts only days that exist, and instants with an offset', () => {
    expect(['2024-02-29', '2023-02-29', '2024-13-01', '2024-1-01'].map(isIsoDate)).toEqual([true, false, false, false]);
    expect(codeOf(() => requireDate('31/01/2024', 'on'))).toBe('INVALID_DATE');
    expect(codeOf(() => requirePastDate('2024-02-02', 'on', '2024-02-01'))).toBe('DATE_IN_FUTURE');
    expect(requirePastDate('2024-02-01', 'on', '2024-02-01')).toBe('2024-02-01');
    expect(['2024-01-31T09:00:00Z', '2024-01-31T09:00:00', '2024-01-31T24:00:00Z'].map(isIsoTimestamp)).toEqual([true, false, false]);
  });

  it('checks integers against their rule and codes against their list, sets in the list order', () => {
    const rule = { min: 1, max: 600, code: 'INVALID_DURATION', label: 'La durée' };
    expect(requireInteger(45, 'duration', rule)).toBe(45);
    expect([0, 601, 1.5, '45'].map((v) => codeOf(() => requireInteger(v, 'duration', rule)))).toEqual(['INVALID_DURATION', 'INVALID_DURATION', 'INVALID_DURATION', 'INVALID_DURATION']);
    const formats = ['IN_PERSON', 'VIDEO'] as const;
    expect(requireCode(formats, 'VIDEO', 'format', 'la forme')).toBe('VIDEO');
    expect(codeOf(() => requireCode(formats, 'PHONE', 'format', 'la forme'))).toBe('INVALID_CODE');
    expect(requireCodeSet(formats, ['VIDEO', 'IN_PERSON'], 'formats', 'les formes')).toEqual(['IN_PERSON', 'VIDEO']);
    expect(codeOf(() => requireCodeSet(formats, ['VIDEO', 'VIDEO'], 'formats', 'les formes'))).toBe('DUPLICATE_VALUE');
  });
});
