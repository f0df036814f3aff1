import { given } from '@cnrms/decider/testing';
import { fold, NotFoundError } from '@cnrms/decider';
import {
  AppointCoordinator,
  ChangeDepartmentsCovered,
  CoordinatorAppointed,
  CreateRegionalNetwork,
  RegionalNetworkCommand,
  RegionalNetworkCreated,
  regionalNetworkDecider,
  RemoveCoordinator,
  RenameRegionalNetwork,
} from './regional-network.decider';

const networkId = 'net-grand-est';
const create = (data: Partial<CreateRegionalNetwork['data']> = {}): CreateRegionalNetwork => ({
  type: 'CreateRegionalNetwork',
  data: { networkId, name: 'Réseau Alsace', region: 'Grand Est', departments: ['68', '67'], createdAt: '2024-01-15T10:00:00Z', ...data },
});
const created: RegionalNetworkCreated = {
  type: 'RegionalNetworkCreated',
  data: { networkId, name: 'Réseau Alsace', region: 'Grand Est', regionCode: '44', departments: ['67', '68'], createdAt: '2024-01-15T10:00:00Z' },
};
const rename = (name: string): RenameRegionalNetwork => ({ type: 'RenameRegionalNetwork', data: { networkId, name } });
const changeDepartments = (departments: string[]): ChangeDepartmentsCovered => ({ type: 'ChangeDepartmentsCovered', data: { networkId, departments } });
const appoint = (data: Partial<AppointCoordinator['data']> = {}): AppointCoordinator => ({
  type: 'AppointCoordinator',
  data: { networkId, role: 'MEDICAL', name: 'Dr Anne Weber', appointedOn: '2024-02-01', ...data },
});
const medicalAppointed: CoordinatorAppointed = {
  type: 'CoordinatorAppointed',
  data: { networkId, role: 'MEDICAL', coordinator: { name: 'Dr Anne Weber' }, appointedOn: '2024-02-01' },
};
const removeCoordinator = (role: RemoveCoordinator['data']['role']): RemoveCoordinator => ({ type: 'RemoveCoordinator', data: { networkId, role, removedOn: '2024-06-30' } });

describe('Regional network', () => {
  describe('CreateRegionalNetwork', () => {
    it('creates the network with its departments, sorted', () => {
      given(regionalNetworkDecider, []).when(create()).then([created]);
    });

    it('accepts Corsica and overseas departments', () => {
      const [event] = given(regionalNetworkDecider, []).when(create({ region: '94', departments: ['2a', '2B'] })).events();
      expect(event.type === 'RegionalNetworkCreated' && event.data.departments).toEqual(['2A', '2B']);
      const [overseas] = given(regionalNetworkDecider, []).when(create({ region: 'La Réunion', departments: ['974'] })).events();
      expect(overseas.type === 'RegionalNetworkCreated' && overseas.data.regionCode).toBe('04');
    });

    describe('when the network already exists', () => {
      it('refuses to create it again', () => {
        given(regionalNetworkDecider, [created]).when(create()).thenThrows('NETWORK_ALREADY_EXISTS', 'existe déjà');
      });
    });

    it.each([
      ['an empty id', { networkId: '' }, 'ID_REQUIRED'],
      ['an empty name', { name: '' }, 'NAME_REQUIRED'],
      ['a name too long', { name: 'x'.repeat(201) }, 'NAME_TOO_LONG'],
      ['an empty region', { region: '  ' }, 'REGION_REQUIRED'],
      ['no department', { departments: [] }, 'DEPARTMENTS_REQUIRED'],
      ['an invalid department', { departments: ['67', '20'] }, 'INVALID_DEPARTMENT'],
      ['a department given twice', { departments: ['67', '67'] }, 'DUPLICATE_DEPARTMENT'],
      ['an invalid creation date', { createdAt: '2024-02-30T10:00:00Z' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(regionalNetworkDecider, []).when(create(data)).thenThrows(code);
    });
  });

  describe('when the network does not exist', () => {
    it.each<[string, RegionalNetworkCommand]>([
      ['RenameRegionalNetwork', rename('Réseau Grand Est')],
      ['ChangeDepartmentsCovered', changeDepartments(['67'])],
      ['AppointCoordinator', appoint()],
      ['RemoveCoordinator', removeCoordinator('MEDICAL')],
    ])('refuses %s', (_type, command) => {
      given(regionalNetworkDecider, []).when(command).thenThrows('NETWORK_NOT_FOUND', 'Ce réseau régional n’existe pas.');
    });

    it('says so with a not-found error', () => {
      expect(() => regionalNetworkDecider.decide(rename('x'), regionalNetworkDecider.initialState())).toThrow(NotFoundError);
    });
  });

  describe('RenameRegionalNetwork', () => {
    it('renames the network', () => {
      given(regionalNetworkDecider, [created]).when(rename(' Réseau Grand Est ')).then([{ type: 'RegionalNetworkRenamed', data: { networkId, name: 'Réseau Grand Est' } }]);
    });

    it('records nothing when the name is the same', () => {
      given(regionalNetworkDecider, [created]).when(rename('Réseau Alsace')).then([]);
    });

    it('refuses an empty name', () => {
      given(regionalNetworkDecider, [created]).when(rename('')).thenThrows('NAME_REQUIRED', 'Le nom du réseau est obligatoire.');
    });
  });

  describe('ChangeDepartmentsCovered', () => {
    it('records the new set of departments', () => {
      given(regionalNetworkDecider, [created])
        .when(changeDepartments(['68', '67', '57']))
        .then([{ type: 'DepartmentsCoveredChanged', data: { networkId, departments: ['57', '67', '68'] } }]);
    });

    it('records nothing when the set is the same, whatever the order', () => {
      given(regionalNetworkDecider, [created]).when(changeDepartments(['68', '67'])).then([]);
    });

    it.each([
      [[], 'DEPARTMENTS_REQUIRED'],
      [['67', '99'], 'INVALID_DEPARTMENT'],
      [['67', '67'], 'DUPLICATE_DEPARTMENT'],
    ])('refuses %p', (departments, code) => {
      given(regionalNetworkDecider, [created]).when(changeDepartments(departments)).thenThrows(code);
    });

    it('refuses a department outside the network’s region', () => {
      given(regionalNetworkDecider, [created]).when(changeDepartments(['67', '75'])).thenThrows('DEPARTMENT_NOT_IN_REGION', /75/);
    });

    it('does not check the region of a network created when the region was free text', () => {
      const legacy: RegionalNetworkCreated = { type: 'RegionalNetworkCreated', data: { networkId, name: 'Réseau Alsace', region: 'GRAND_EST', departments: ['67'], createdAt: '2024-01-15T10:00:00Z' } };
      expect(given(regionalNetworkDecider, [legacy]).when(changeDepartments(['67', '75'])).events()).toHaveLength(1);
    });
  });

  describe('region: an official code', () => {
    it.each([['44'], ['Grand Est'], ['GRAND_EST'], ['grand-est'], [' grand est ']])('turns %p into the code 44 and the official name', (region) => {
      given(regionalNetworkDecider, []).when(create({ region })).then([created]);
    });

    it('refuses a region that is not one', () => {
      given(regionalNetworkDecider, []).when(create({ region: 'Essai' })).thenThrows('INVALID_REGION', /44 Grand Est/);
      given(regionalNetworkDecider, []).when(create({ region: '99' })).thenThrows('INVALID_REGION');
    });

    it('refuses departments outside the region', () => {
      given(regionalNetworkDecider, []).when(create({ departments: ['67', '13'] })).thenThrows('DEPARTMENT_NOT_IN_REGION', /13/);
    });

    it('accepts Saint-Pierre-et-Miquelon (975) with any region', () => {
      expect(given(regionalNetworkDecider, []).when(create({ departments: ['67', '975'] })).events()).toHaveLength(1);
    });
  });

  describe('AppointCoordinator', () => {
    it('appoints a medical coordinator', () => {
      given(regionalNetworkDecider, [created]).when(appoint()).then([medicalAppointed]);
    });

    it('keeps the optional id and e-mail', () => {
      given(regionalNetworkDecider, [created])
        .when(appoint({ role: 'ADMINISTRATIVE', name: 'Paul Klein', coordinatorId: 'pro-7', email: 'p.klein@reseau.fr' }))
        .then([
          {
            type: 'CoordinatorAppointed',
            data: { networkId, role: 'ADMINISTRATIVE', coordinator: { coordinatorId: 'pro-7', name: 'Paul Klein', email: 'p.klein@reseau.fr' }, appointedOn: '2024-02-01' },
          },
        ]);
    });

    describe('when the role is already held', () => {
      it('replaces the coordinator', () => {
        const [event] = given(regionalNetworkDecider, [created, medicalAppointed]).when(appoint({ name: 'Dr Luc Muller', appointedOn: '2025-01-01' })).events();
        expect(event).toMatchObject({ type: 'CoordinatorAppointed', data: { role: 'MEDICAL', coordinator: { name: 'Dr Luc Muller' } } });
      });

      it('records nothing when it is the same person', () => {
        given(regionalNetworkDecider, [created, medicalAppointed]).when(appoint({ appointedOn: '2025-01-01' })).then([]);
      });
    });

    it.each([
      ['an unknown role', { role: 'TREASURER' as never }, 'INVALID_COORDINATOR_ROLE'],
      ['an empty name', { name: '' }, 'NAME_REQUIRED'],
      ['an invalid e-mail', { email: 'anne.weber' }, 'INVALID_EMAIL'],
      ['an empty coordinator id', { coordinatorId: ' ' }, 'ID_REQUIRED'],
      ['an invalid date', { appointedOn: '01/02/2024' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(regionalNetworkDecider, [created]).when(appoint(data)).thenThrows(code);
    });
  });

  describe('RemoveCoordinator', () => {
    it('removes the coordinator holding the role', () => {
      given(regionalNetworkDecider, [created, medicalAppointed])
        .when(removeCoordinator('MEDICAL'))
        .then([{ type: 'CoordinatorRemoved', data: { networkId, role: 'MEDICAL', removedOn: '2024-06-30' } }]);
    });

    it('refuses when nobody holds the role', () => {
      given(regionalNetworkDecider, [created, medicalAppointed]).when(removeCoordinator('ADMINISTRATIVE')).thenThrows('COORDINATOR_NOT_FOUND', 'coordinateur administratif');
    });

    it('refuses an unknown role', () => {
      given(regionalNetworkDecider, [created]).when(removeCoordinator('TREASURER' as never)).thenThrows('INVALID_COORDINATOR_ROLE');
    });
  });

  describe('state', () => {
    it('follows renames, departments and coordinators', () => {
      const state = fold(regionalNetworkDecider, [
        created,
        { type: 'RegionalNetworkRenamed', data: { networkId, name: 'Réseau Grand Est' } },
        { type: 'DepartmentsCoveredChanged', data: { networkId, departments: ['57', '67'] } },
        medicalAppointed,
        { type: 'CoordinatorAppointed', data: { networkId, role: 'ADMINISTRATIVE', coordinator: { name: 'Paul Klein' }, appointedOn: '2024-02-01' } },
        { type: 'CoordinatorRemoved', data: { networkId, role: 'MEDICAL', removedOn: '2024-06-30' } },
      ]);
      expect(state).toEqual({
        status: 'ACTIVE',
        networkId,
        name: 'Réseau Grand Est',
        region: 'Grand Est',
        regionCode: '44',
        departments: ['57', '67'],
        coordinators: { ADMINISTRATIVE: { name: 'Paul Klein' } },
        createdAt: '2024-01-15T10:00:00Z',
      });
    });
  });
});
