import { DEV_CELL_KEY_SECRET } from '@cnrms/disclosure';
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
      cellKeyMaxPerturbation: 3,
      includeWaitMs: 5000,
      maxBatchEvents: 20000,
      upkeepIntervalSeconds: 30,
      applierParts: 2,
      cells: true,
      cellKeySecret: DEV_CELL_KEY_SECRET,
    });
  });

  it('answers from the cells unless REPORTING_CELLS=false, and refuses another value', () => {
    expect(reportingSettings({ REPORTING_CELLS: 'false' }).cells).toBe(false);
    expect(reportingSettings({ REPORTING_CELLS: 'true' }).cells).toBe(true);
    expect(() => reportingSettings({ REPORTING_CELLS: 'oui' })).toThrow(/REPORTING_CELLS/);
  });

  it('refuses a short cell key secret, and the development one in production', () => {
    expect(reportingSettings({ REPORTING_CELL_KEY_SECRET: 'x'.repeat(32) }).cellKeySecret).toBe('x'.repeat(32));
    expect(() => reportingSettings({ REPORTING_CELL_KEY_SECRET: 'court' })).toThrow(/REPORTING_CELL_KEY_SECRET/);
    expect(() => reportingSettings({ NODE_ENV: 'production' })).toThrow(/REPORTING_CELL_KEY_SECRET/);
  });

  it('reads them from the environment and names every faulty variable', () => {
    expect(reportingSettings({ REPORTING_SUPPRESSION_THRESHOLD: '11', REPORTING_PACKAGE_AMOUNT_EUROS: '528.50' })).toMatchObject({ suppressionThreshold: 11, packageAmountEuros: 528.5 });
    expect(() => reportingSettings({ REPORTING_SUPPRESSION_THRESHOLD: '1', REPORTING_PACKAGE_MIN_CONTACTS: 'deux' })).toThrow(/REPORTING_SUPPRESSION_THRESHOLD[\s\S]*REPORTING_PACKAGE_MIN_CONTACTS/);
    expect(reportingSettings({ REPORTING_MAX_BATCH_EVENTS: '10000' }).maxBatchEvents).toBe(10000);
    expect(() => reportingSettings({ REPORTING_MAX_BATCH_EVENTS: '0' })).toThrow(/REPORTING_MAX_BATCH_EVENTS/);
    expect(reportingSettings({ REPORTING_UPKEEP_INTERVAL_SECONDS: '0' }).upkeepIntervalSeconds).toBe(0);
    expect(() => reportingSettings({ REPORTING_UPKEEP_INTERVAL_SECONDS: '-1' })).toThrow(/REPORTING_UPKEEP_INTERVAL_SECONDS/);
    expect(reportingSettings({ REPORTING_APPLIER_PARTS: '1' }).applierParts).toBe(1);
    expect(() => reportingSettings({ REPORTING_APPLIER_PARTS: '0' })).toThrow(/REPORTING_APPLIER_PARTS/);
  });
});
