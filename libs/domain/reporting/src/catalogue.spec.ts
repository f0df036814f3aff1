import { checkRequest, INDICATORS, indicatorOf } from './catalogue';

const DOMAIN_CODES = [
  'active_regions', 'active_microstructures', 'involved_gps', 'active_caseload', 'women_share', 'new_inclusions', 'psychologist_reach',
  'psychologist_sessions_per_patient', 'social_worker_reach', 'social_work_interviews_per_patient', 'meetings_held', 'patients_reviewed_share',
  'time_to_first_team_contact', 'hcv_screening_acceptance', 'hcv_treatment_uptake', 'screened_within_12m', 'rights_opened_within_12m',
  'substance_use_change', 'quality_of_life_change', 'retention_6m', 'retention_12m', 'exit_reasons', 'referrals', 'training_hours_per_professional',
  'new_microstructures', 'package_payments',
];

describe('indicator catalogue', () => {
  it('lists every indicator of DOMAIN.md once, each with a French label and a reason when it is unavailable', () => {
    const codes = INDICATORS.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining(DOMAIN_CODES));
    for (const indicator of INDICATORS) {
      expect(indicator.label).toMatch(/\S/);
      expect(indicator.available || (indicator.unavailableReason ?? '').length > 20).toBe(true);
    }
  });

  it('refuses an unknown indicator and an unsupported grouping or granularity', () => {
    expect(() => indicatorOf('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_INDICATOR' }));
    expect(() => checkRequest(indicatorOf('women_share'), ['SEX'], 'YEAR')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_GROUPING' }));
    expect(() => checkRequest(indicatorOf('package_payments'), [], 'MONTH')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_GRANULARITY' }));
    expect(() => checkRequest(indicatorOf('active_caseload'), ['NETWORK', 'SEX'], 'MONTH')).not.toThrow();
  });
});
