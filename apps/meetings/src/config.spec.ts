import { ConfigurationError } from '@cnrms/service-kit';
import { DEV_MEETINGS_MASTER_KEY, meetingsSettings } from './config';

const key = Buffer.alloc(32, 7).toString('base64');

describe('meetings settings', () => {
  it('falls back to the development master key and the defaults outside production', () => {
    const settings = meetingsSettings({}, 'development');
    expect(settings.masterKey.equals(DEV_MEETINGS_MASTER_KEY)).toBe(true);
    expect(settings).toMatchObject({ masterKeyId: 'dev-1', usesDevelopmentMasterKey: true, reviewIntervalMonths: 3, assessmentWindowDays: 30 });
    expect(settings.timepoints.map((t) => t.code)).toEqual(['INCLUSION', 'M6', 'M12']);
  });

  it('requires MEETINGS_MASTER_KEY in production, and refuses the development key there', () => {
    expect(() => meetingsSettings({}, 'production')).toThrow(/MEETINGS_MASTER_KEY : obligatoire en production/);
    expect(() => meetingsSettings({ MEETINGS_MASTER_KEY: DEV_MEETINGS_MASTER_KEY.toString('base64') }, 'production')).toThrow(/clé de développement est refusée/);
  });

  it('takes a 32-byte base64 key and never quotes it in an error', () => {
    expect(meetingsSettings({ MEETINGS_MASTER_KEY: key, MEETINGS_MASTER_KEY_ID: 'prod-2025' }, 'production')).toMatchObject({ masterKeyId: 'prod-2025', usesDevelopmentMasterKey: false });
    const short = Buffer.alloc(16, 1).toString('base64');
    let error: unknown;
    try {
      meetingsSettings({ MEETINGS_MASTER_KEY: short }, 'production');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).not.toContain(short);
  });

  it('names every faulty variable at once', () => {
    expect(() => meetingsSettings({ REVIEW_INTERVAL_MONTHS: '0', ASSESSMENT_TIMEPOINTS: 'M6:6,M3:3', MEETINGS_MASTER_KEY_ID: 'bad id' }, 'development')).toThrow(
      /REVIEW_INTERVAL_MONTHS[\s\S]*ASSESSMENT_TIMEPOINTS|ASSESSMENT_TIMEPOINTS[\s\S]*REVIEW_INTERVAL_MONTHS/,
    );
  });

  it('reads the review interval and the timepoints', () => {
    const settings = meetingsSettings({ REVIEW_INTERVAL_MONTHS: '6', ASSESSMENT_TIMEPOINTS: 'INCLUSION:0,M12:12,M24:24' }, 'development');
    expect(settings.reviewIntervalMonths).toBe(6);
    expect(settings.timepoints).toEqual([{ code: 'INCLUSION', monthsAfterInclusion: 0 }, { code: 'M12', monthsAfterInclusion: 12 }, { code: 'M24', monthsAfterInclusion: 24 }]);
  });
});
