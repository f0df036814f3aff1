import { reportingSettings } from './config';

describe('reporting settings', () => {
  it('has defaults for what the field has not fixed', () => {
    expect(reportingSettings({})).toEqual({
      suppressionThreshold: 5,
      maxPeriodMonths: 120,
      reviewWindowMonths: 6,
      outcomeWindowMonths: 12,
      retention6mDays: 182,
      retention12mDays: 365,
      lostToFollowUpMonths: 6,
      packageMinContacts: 2,
      packageAmountEuros: 528,
    });
  });

  it('reads them from the environment and names every faulty variable', () => {
    expect(reportingSettings({ REPORTING_SUPPRESSION_THRESHOLD: '11', REPORTING_PACKAGE_AMOUNT_EUROS: '528.50' })).toMatchObject({ suppressionThreshold: 11, packageAmountEuros: 528.5 });
    expect(() => reportingSettings({ REPORTING_SUPPRESSION_THRESHOLD: '1', REPORTING_PACKAGE_MIN_CONTACTS: 'deux' })).toThrow(/REPORTING_SUPPRESSION_THRESHOLD[\s\S]*REPORTING_PACKAGE_MIN_CONTACTS/);
  });
});
