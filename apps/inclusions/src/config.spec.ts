import { DEV_CELL_KEY_SECRET } from '@cnrms/disclosure';
import { ConfigurationError } from '@cnrms/service-kit';
import { DEV_INCLUSIONS_MASTER_KEY, inclusionsSettings } from './config';

const aKey = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: NodeJS.ProcessEnv, nodeEnv?: string): string[] {
  try {
    inclusionsSettings(env, nodeEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('the settings were accepted');
}

describe('inclusionsSettings', () => {
  describe('with an empty environment outside production', () => {
    it('uses the defaults and says the development master key is in use', () => {
      expect(inclusionsSettings({}, 'development')).toEqual({
        masterKey: DEV_INCLUSIONS_MASTER_KEY,
        masterKeyId: 'dev-1',
        usesDevelopmentMasterKey: true,
        previousMasterKeys: [],
        timepoints: [
          { code: 'INCLUSION', monthsAfterInclusion: 0 },
          { code: 'M6', monthsAfterInclusion: 6 },
          { code: 'M12', monthsAfterInclusion: 12 },
        ],
        assessmentWindowDays: 30,
        lostToFollowUpMonths: 6,
        suppressionThreshold: 5,
        cellKeyMaxPerturbation: 3,
        cellKeySecret: DEV_CELL_KEY_SECRET,
      });
    });

    it('takes NODE_ENV from the environment when no node environment is passed', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^INCLUSIONS_MASTER_KEY : obligatoire en production/), expect.stringMatching(/^REPORTING_CELL_KEY_SECRET : obligatoire en production/)]);
    });
  });

  describe('with every variable set', () => {
    it('reads them', () => {
      const settings = inclusionsSettings(
        {
          INCLUSIONS_MASTER_KEY: aKey,
          INCLUSIONS_MASTER_KEY_ID: 'hds-2026-01',
          INCLUSIONS_PREVIOUS_MASTER_KEYS: `hds-2025-01:${Buffer.alloc(32, 6).toString('base64')}`,
          ASSESSMENT_TIMEPOINTS: ' INCLUSION:0 , M6:6, M12:12,M24:24',
          ASSESSMENT_WINDOW_DAYS: '45',
          LOST_TO_FOLLOW_UP_MONTHS: '12',
          REPORTING_SUPPRESSION_THRESHOLD: '10',
          REPORTING_CELL_KEY_MAX_PERTURBATION: '2',
          REPORTING_CELL_KEY_SECRET: 'a-cell-key-secret-of-at-least-32-characters',
        },
        'production',
      );
      expect(settings).toEqual({
        masterKey: Buffer.alloc(32, 7),
        masterKeyId: 'hds-2026-01',
        usesDevelopmentMasterKey: false,
        previousMasterKeys: [{ id: 'hds-2025-01', key: Buffer.alloc(32, 6) }],
        timepoints: [
          { code: 'INCLUSION', monthsAfterInclusion: 0 },
          { code: 'M6', monthsAfterInclusion: 6 },
          { code: 'M12', monthsAfterInclusion: 12 },
          { code: 'M24', monthsAfterInclusion: 24 },
        ],
        assessmentWindowDays: 45,
        lostToFollowUpMonths: 12,
        suppressionThreshold: 10,
        cellKeyMaxPerturbation: 2,
        cellKeySecret: 'a-cell-key-secret-of-at-least-32-characters',
      });
    });
  });

  describe('in production', () => {
    it('refuses to start without a master key', () => {
      expect(problemsOf({}, 'production')).toEqual([expect.stringMatching(/^INCLUSIONS_MASTER_KEY : obligatoire en production/), expect.stringMatching(/^REPORTING_CELL_KEY_SECRET : obligatoire en production/)]);
    });

    it('refuses the development master key', () => {
      expect(problemsOf({ INCLUSIONS_MASTER_KEY: DEV_INCLUSIONS_MASTER_KEY.toString('base64'), REPORTING_CELL_KEY_SECRET: 'a-cell-key-secret-of-at-least-32-characters' }, 'production')).toEqual([
        expect.stringMatching(/^INCLUSIONS_MASTER_KEY : la clé de développement est refusée/),
      ]);
    });
  });

  describe('with a malformed value', () => {
    it.each([
      ['INCLUSIONS_MASTER_KEY', 'not base64!'],
      ['INCLUSIONS_MASTER_KEY', Buffer.alloc(16, 1).toString('base64')],
      ['INCLUSIONS_MASTER_KEY', Buffer.alloc(33, 1).toString('base64')],
      ['INCLUSIONS_MASTER_KEY_ID', 'clé avec espaces'],
      ['INCLUSIONS_MASTER_KEY_ID', 'x'.repeat(65)],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6:7'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,,M6:6'],
      ['ASSESSMENT_TIMEPOINTS', 'inclusion:0,M6:6'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:-1,M6:6'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6.5'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6,M6:12'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M12:12,M6:6'],
      ['ASSESSMENT_TIMEPOINTS', 'INCLUSION:0,M6:6,M6B:6'],
      ['ASSESSMENT_WINDOW_DAYS', '0'],
      ['ASSESSMENT_WINDOW_DAYS', '181'],
      ['ASSESSMENT_WINDOW_DAYS', '7.5'],
      ['ASSESSMENT_WINDOW_DAYS', 'trente'],
      ['LOST_TO_FOLLOW_UP_MONTHS', '0'],
      ['LOST_TO_FOLLOW_UP_MONTHS', '37'],
      ['LOST_TO_FOLLOW_UP_MONTHS', '-3'],
    ])('refuses %s=%s with a message naming the variable', (name, value) => {
      expect(problemsOf({ [name]: value }, 'development')).toEqual([expect.stringMatching(new RegExp(`^${name} : `))]);
    });

    it('never quotes the master key in its message', () => {
      const tooShort = Buffer.alloc(31, 9).toString('base64');
      const [problem] = problemsOf({ INCLUSIONS_MASTER_KEY: tooShort }, 'development');
      expect(problem).not.toContain(tooShort);
    });

    it('names every faulty variable in one error', () => {
      const problems = problemsOf({ ASSESSMENT_WINDOW_DAYS: '0', LOST_TO_FOLLOW_UP_MONTHS: 'x', ASSESSMENT_TIMEPOINTS: 'M6' }, 'production');
      expect(problems.map((problem) => problem.split(' : ')[0]).sort()).toEqual(['ASSESSMENT_TIMEPOINTS', 'ASSESSMENT_WINDOW_DAYS', 'INCLUSIONS_MASTER_KEY', 'LOST_TO_FOLLOW_UP_MONTHS', 'REPORTING_CELL_KEY_SECRET']);
    });
  });
});
