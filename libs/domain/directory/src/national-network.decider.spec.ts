import { given } from '@cnrms/decider/testing';
import { EstablishNationalNetwork, NationalNetworkEstablished, nationalNetworkDecider } from './national-network.decider';

const establish = (data: Partial<EstablishNationalNetwork['data']> = {}): EstablishNationalNetwork => ({
  type: 'EstablishNationalNetwork',
  data: { name: 'Coordination Nationale des Réseaux de Microstructures', establishedAt: '2006-01-01T00:00:00Z', ...data },
});
const established: NationalNetworkEstablished = {
  type: 'NationalNetworkEstablished',
  data: { name: 'Coordination Nationale des Réseaux de Microstructures', establishedAt: '2006-01-01T00:00:00Z' },
};

describe('National network (CNRMS)', () => {
  describe('EstablishNationalNetwork', () => {
    it('establishes the national coordination', () => {
      given(nationalNetworkDecider, []).when(establish()).then([established]);
    });

    it('trims the name', () => {
      given(nationalNetworkDecider, []).when(establish({ name: '  Coordination Nationale des Réseaux de Microstructures ' })).then([established]);
    });

    describe('when it is already established', () => {
      it('records nothing, so that it can run at every start-up', () => {
        given(nationalNetworkDecider, [established]).when(establish({ name: 'CNRMS', establishedAt: '2024-01-01T00:00:00Z' })).then([]);
      });
    });

    it('refuses an empty name', () => {
      given(nationalNetworkDecider, []).when(establish({ name: ' ' })).thenThrows('NAME_REQUIRED', 'Le nom de la coordination nationale est obligatoire.');
    });

    it('refuses a date that is not an ISO instant', () => {
      given(nationalNetworkDecider, []).when(establish({ establishedAt: '2006' })).thenThrows('INVALID_DATE');
    });
  });

  it('keeps the name and date in its state', () => {
    expect(nationalNetworkDecider.evolve(nationalNetworkDecider.initialState(), established)).toEqual({ status: 'ESTABLISHED', ...established.data });
  });
});
