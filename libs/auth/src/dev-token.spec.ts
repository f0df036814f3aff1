import { devToken } from './dev-token';
import { DEV_JWT_SECRET, verifyToken } from './tokens';

describe('dev-token', () => {
  it('issues a token with the development secret when AUTH_JWT_SECRET is not set', () => {
    const outcome = devToken(['--role', 'regional_coordinator', '--network', 'n-1', '--network', 'n-2', '--name', 'Coordination'], {});
    if (!outcome.ok) throw new Error(outcome.error);
    expect(verifyToken(outcome.output, { secret: DEV_JWT_SECRET })).toEqual({
      userId: 'dev-regional_coordinator',
      displayName: 'Coordination',
      roles: ['regional_coordinator'],
      networkIds: ['n-1', 'n-2'],
      microstructureIds: [],
    });
  });

  it('uses AUTH_JWT_SECRET and the scopes given', () => {
    const secret = 'another-secret-long-enough-0123456789-abcdef';
    const outcome = devToken(['--role', 'professional', '--network', 'n-1', '--microstructure', 'ms-1', '--professional', 'p-1', '--user', 'u-7'], { AUTH_JWT_SECRET: secret });
    if (!outcome.ok) throw new Error(outcome.error);
    expect(verifyToken(outcome.output, { secret })).toMatchObject({ userId: 'u-7', professionalId: 'p-1', microstructureIds: ['ms-1'] });
  });

  it('refuses a missing or unknown role, an unknown option, and the development secret in production', () => {
    expect(devToken([], {})).toMatchObject({ ok: false, exitCode: 2 });
    expect(devToken(['--role', 'root'], {})).toMatchObject({ ok: false, error: expect.stringMatching(/unknown role/) });
    expect(devToken(['--role', 'admin', '--bogus'], {})).toMatchObject({ ok: false, exitCode: 2 });
    expect(devToken(['--role', 'admin'], { NODE_ENV: 'production' })).toMatchObject({ ok: false, error: expect.stringMatching(/AUTH_JWT_SECRET/) });
  });
});
