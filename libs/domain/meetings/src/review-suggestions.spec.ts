import { DEFAULT_TIMEPOINTS, suggestReviews, SuggestionRules } from './review-suggestions';

const rules: SuggestionRules = { reviewIntervalMonths: 3, timepoints: DEFAULT_TIMEPOINTS, assessmentWindowDays: 30 };
const on = '2025-06-15';
const assessed = ['INCLUSION'];

describe('Review suggestions', () => {
  it('suggests a patient never reviewed, with a new inclusion since the previous meeting', () => {
    const [suggestion] = suggestReviews([{ patientId: 'p1', includedOn: '2025-06-01', assessedTimepoints: assessed }], [], '2025-05-20', on, rules);
    expect(suggestion).toEqual({ patientId: 'p1', reasons: ['NEVER_REVIEWED', 'NEW_INCLUSION'], includedOn: '2025-06-01', lastReviewedOn: null, overdueTimepoints: [] });
  });

  it('leaves out a patient reviewed recently, included before the previous meeting and with assessments up to date', () => {
    expect(suggestReviews([{ patientId: 'p1', includedOn: '2025-04-01', assessedTimepoints: assessed }], [{ patientId: 'p1', heldOn: '2025-05-20', nextReviewOn: '2025-08-20' }], '2025-05-20', on, rules)).toEqual([]);
  });

  it('suggests a patient not reviewed for the configured number of months', () => {
    const [suggestion] = suggestReviews([{ patientId: 'p1', includedOn: '2024-12-01', assessedTimepoints: ['INCLUSION'] }], [{ patientId: 'p1', heldOn: '2025-03-15', nextReviewOn: '2025-09-01' }], '2025-05-20', on, rules);
    expect(suggestion.reasons).toEqual(['NOT_REVIEWED_RECENTLY']);
    expect(suggestion.lastReviewedOn).toBe('2025-03-15');
  });

  it('suggests a patient whose next-review date has come', () => {
    const [suggestion] = suggestReviews([{ patientId: 'p1', includedOn: '2025-04-01', assessedTimepoints: assessed }], [{ patientId: 'p1', heldOn: '2025-05-20', nextReviewOn: '2025-06-15' }], '2025-05-20', on, rules);
    expect(suggestion.reasons).toEqual(['NEXT_REVIEW_DUE']);
  });

  it('suggests a patient whose assessment is overdue (past the timepoint and its window)', () => {
    const patients = [
      { patientId: 'late', includedOn: '2024-11-01', assessedTimepoints: ['INCLUSION'] },
      { patientId: 'within-window', includedOn: '2024-12-01', assessedTimepoints: ['INCLUSION'] },
    ];
    const reviews = patients.map((p) => ({ patientId: p.patientId, heldOn: '2025-05-20', nextReviewOn: '2025-08-20' }));
    expect(suggestReviews(patients, reviews, '2025-05-20', on, rules)).toEqual([{ patientId: 'late', reasons: ['ASSESSMENT_OVERDUE'], includedOn: '2024-11-01', lastReviewedOn: '2025-05-20', overdueTimepoints: ['M6'] }]);
  });

  it('does not count a review from before a re-inclusion', () => {
    const [suggestion] = suggestReviews([{ patientId: 'p1', includedOn: '2025-05-01', assessedTimepoints: assessed }], [{ patientId: 'p1', heldOn: '2025-01-10', nextReviewOn: '2025-09-01' }], '2025-05-20', on, rules);
    expect(suggestion.reasons).toContain('NEVER_REVIEWED');
  });

  it('treats every patient as new when the microstructure never held a meeting, most reasons first', () => {
    const suggestions = suggestReviews(
      [
        { patientId: 'a', includedOn: '2025-06-01', assessedTimepoints: assessed },
        { patientId: 'b', includedOn: '2025-01-01', assessedTimepoints: [] },
      ],
      [],
      null,
      on,
      rules,
    );
    expect(suggestions.map((s) => [s.patientId, s.reasons])).toEqual([
      ['b', ['NEVER_REVIEWED', 'NEW_INCLUSION', 'ASSESSMENT_OVERDUE']],
      ['a', ['NEVER_REVIEWED', 'NEW_INCLUSION']],
    ]);
  });
});
