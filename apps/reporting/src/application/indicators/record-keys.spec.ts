import { SqlContext } from './sql-context';
import { withRecordKeys } from './record-keys';

const context = () => new SqlContext('facts', [], [], { networkIds: null, microstructureIds: null }, {}, '2025-01-01', {} as never);

describe('record keys of the cell key method', () => {
  it('adds, for every patient count, the sum of the same records’ keys with the same filter, the secret as a bound parameter', () => {
    const ctx = context();
    const measures = withRecordKeys({ numerator: 'count(*)', patients_n: `count(distinct patient_id) filter (where sex = 'FEMALE')`, patients_d: 'count(*)' }, ctx, 's3cret');
    expect(measures.keys_n).toMatch(/^coalesce\(sum\(distinct \(\('x' \|\| substr\(md5\(\$1::text \|\| patient_id::text\), 1, 8\)\)::bit\(32\)::bigint\)\) filter \(where sex = 'FEMALE'\), 0\) % 4294967296$/);
    expect(measures.keys_d).toMatch(/^coalesce\(sum\(\(\('x'.*\)\), 0\) % 4294967296$/);
    expect(measures.numerator).toBe('count(*)');
    expect(ctx.values).toEqual(['s3cret', 's3cret']);
    expect(JSON.stringify(measures)).not.toContain('s3cret');
  });

  it('refuses a patient count whose records it cannot name', () => {
    expect(() => withRecordKeys({ patients_n: 'count(distinct inclusion_id)' }, context(), 's')).toThrow(/unsupported patient count/);
  });
});
