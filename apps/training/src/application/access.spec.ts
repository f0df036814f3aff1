import { Identity } from '@cnrms/auth';
import { trainingAccess } from './access';

const who = (roles: Identity['roles'], extra: Partial<Identity> = {}): Identity => ({ userId: `u-${roles.join('-')}`, roles, networkIds: [], microstructureIds: [], ...extra });
const national = who(['national_coordinator']);
const admin = who(['admin']);
const coordinator = who(['regional_coordinator'], { networkIds: ['net-a'] });
const otherCoordinator = who(['regional_coordinator'], { networkIds: ['net-b'] });
const professional = who(['professional'], { networkIds: ['net-a'], professionalId: 'pro-1' });
const funder = who(['funder']);

describe('training access', () => {
  describe('managing a training (publish, attendance, registrants)', () => {
    it('lets a regional coordinator manage only their own network’s trainings', () => {
      expect(trainingAccess.canManage(coordinator, 'net-a')).toBe(true);
      expect(trainingAccess.canManage(coordinator, 'net-b')).toBe(false);
      expect(trainingAccess.canManage(coordinator, null)).toBe(false);
    });
    it('lets the national coordination (and administrators) manage national trainings and any network’s', () => {
      for (const caller of [national, admin]) expect([trainingAccess.canManage(caller, null), trainingAccess.canManage(caller, 'net-b')]).toEqual([true, true]);
    });
    it('never lets a professional or a funder manage', () => {
      for (const caller of [professional, funder]) expect(() => trainingAccess.manage(caller, 'net-a')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    });
  });

  it('lets only a professional register, as themselves', () => {
    expect(trainingAccess.selfProfessional(professional)).toBe('pro-1');
    for (const caller of [coordinator, national, funder, who(['professional'])]) expect(() => trainingAccess.selfProfessional(caller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('shows a professional’s registrations and hours to themselves and to their networks’ coordinations, not to funders or other networks', () => {
    expect(trainingAccess.canReadProfessional(professional, 'pro-1', ['net-a'])).toBe(true);
    expect(trainingAccess.canReadProfessional(professional, 'pro-2', ['net-a'])).toBe(false);
    expect(trainingAccess.canReadProfessional(coordinator, 'pro-2', ['net-a'])).toBe(true);
    expect(trainingAccess.canReadProfessional(otherCoordinator, 'pro-2', ['net-a'])).toBe(false);
    expect(trainingAccess.canReadProfessional(national, 'pro-2', [])).toBe(true);
    expect(trainingAccess.canReadProfessional(funder, 'pro-2', ['net-a'])).toBe(false);
  });

  it('shows a network’s aggregated hours to its coordinations, national and funders', () => {
    for (const caller of [coordinator, national, funder]) expect(() => trainingAccess.readNetworkHours(caller, 'net-a')).not.toThrow();
    for (const caller of [otherCoordinator, professional]) expect(() => trainingAccess.readNetworkHours(caller, 'net-a')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
