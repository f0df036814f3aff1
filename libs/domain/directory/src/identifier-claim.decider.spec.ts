import { given } from '@cnrms/decider/testing';
import { adeliClaimDecider, AdeliClaimed, rppsClaimDecider, RppsClaimed } from './identifier-claim.decider';

describe('RPPS number claim', () => {
  const rpps = '10003456786';
  const claimed: RppsClaimed = { type: 'RppsClaimed', data: { rpps, professionalId: 'pro-1' } };
  const claim = (professionalId: string, number = rpps) => ({ type: 'ClaimRpps' as const, data: { rpps: number, professionalId } });

  it('claims a free number for a professional', () => {
    given(rppsClaimDecider, []).when(claim('pro-1')).then([claimed]);
  });

  it('ignores spaces in the number', () => {
    given(rppsClaimDecider, []).when(claim('pro-1', '100 034 567 86')).then([claimed]);
  });

  describe('when the number is already claimed', () => {
    it('records nothing for the same professional', () => {
      given(rppsClaimDecider, [claimed]).when(claim('pro-1')).then([]);
    });

    it('refuses another professional', () => {
      given(rppsClaimDecider, [claimed]).when(claim('pro-2')).thenThrows('DUPLICATE_RPPS', 'Ce numéro RPPS est déjà enregistré pour un autre professionnel.');
    });

    it('says it is a conflict', () => {
      expect(() => rppsClaimDecider.decide(claim('pro-2'), rppsClaimDecider.evolve(rppsClaimDecider.initialState(), claimed))).toThrow(
        expect.objectContaining({ kind: 'CONFLICT' }),
      );
    });
  });

  it('refuses an invalid number', () => {
    given(rppsClaimDecider, []).when(claim('pro-1', '10003456787')).thenThrows('INVALID_RPPS');
  });

  it('refuses an empty professional id', () => {
    given(rppsClaimDecider, []).when(claim('')).thenThrows('ID_REQUIRED');
  });
});

describe('ADELI number claim', () => {
  const adeli = '671234567';
  const claimed: AdeliClaimed = { type: 'AdeliClaimed', data: { adeli, professionalId: 'pro-1' } };
  const claim = (professionalId: string, number = adeli) => ({ type: 'ClaimAdeli' as const, data: { adeli: number, professionalId } });

  it('claims a free number for a professional', () => {
    given(adeliClaimDecider, []).when(claim('pro-1')).then([claimed]);
  });

  it('records nothing for the same professional', () => {
    given(adeliClaimDecider, [claimed]).when(claim('pro-1')).then([]);
  });

  it('refuses another professional', () => {
    given(adeliClaimDecider, [claimed]).when(claim('pro-2')).thenThrows('DUPLICATE_ADELI', 'Ce numéro ADELI est déjà enregistré pour un autre professionnel.');
  });

  it('refuses an invalid number', () => {
    given(adeliClaimDecider, []).when(claim('pro-1', '67123456')).thenThrows('INVALID_ADELI');
  });
});
