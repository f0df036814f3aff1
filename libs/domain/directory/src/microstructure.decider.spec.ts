import { fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import { completeness, completenessOf } from './completeness';
import {
  AddMember,
  AddPartner,
  CloseMicrostructure,
  CreateMicrostructure,
  EndMembership,
  MicrostructureClosed,
  MicrostructureCommand,
  MicrostructureCreated,
  microstructureDecider,
  MicrostructureEvent,
  MicrostructureOpened,
  MoveMicrostructure,
  OpenMicrostructure,
  PartnerAdded,
  ProfessionalJoinedMicrostructure,
  RemovePartner,
  RenameMicrostructure,
} from './microstructure.decider';
import { Profession } from './values';

const microstructureId = 'ms-neudorf';
const networkId = 'net-alsace';
const ids = { microstructureId, networkId };
const today = '2025-09-01';
const site = { name: 'Cabinet du Neudorf', type: 'GROUP_PRACTICE' as const, address: { street: '12 route du Polygone', postalCode: '67100', city: 'Strasbourg' } };

const create = (data: Partial<CreateMicrostructure['data']> = {}): CreateMicrostructure => ({
  type: 'CreateMicrostructure',
  data: { microstructureId, networkId, name: 'Microstructure du Neudorf', practiceSite: site, department: '67', createdAt: '2024-01-10T09:00:00Z', ...data },
});
const created: MicrostructureCreated = {
  type: 'MicrostructureCreated',
  data: { ...ids, name: 'Microstructure du Neudorf', kind: 'ADDICTION', practiceSite: site, department: '67', createdAt: '2024-01-10T09:00:00Z' },
};
const addMember = (professionalId: string, profession: Profession, data: Partial<AddMember['data']> = {}): AddMember => ({
  type: 'AddMember',
  data: { microstructureId, professionalId, profession, startedOn: '2024-02-01', today, ...data },
});
const joined = (professionalId: string, profession: Profession, startedOn = '2024-02-01'): ProfessionalJoinedMicrostructure => ({
  type: 'ProfessionalJoinedMicrostructure',
  data: { ...ids, professionalId, profession, role: 'MEMBER', startedOn },
});
const ended = (professionalId: string, profession: Profession, endedOn: string, startedOn = '2024-02-01'): MicrostructureEvent => ({
  type: 'MembershipEnded',
  data: { ...ids, professionalId, profession, startedOn, endedOn },
});
const endMembership = (professionalId: string, data: Partial<EndMembership['data']> = {}): EndMembership => ({
  type: 'EndMembership',
  data: { microstructureId, professionalId, endedOn: '2024-09-30', today, ...data },
});
const open = (openedOn = '2024-03-01'): OpenMicrostructure => ({ type: 'OpenMicrostructure', data: { microstructureId, openedOn, today } });
const opened: MicrostructureOpened = { type: 'MicrostructureOpened', data: { ...ids, kind: 'ADDICTION', department: '67', openedOn: '2024-03-01' } };
const close = (data: Partial<CloseMicrostructure['data']> = {}): CloseMicrostructure => ({
  type: 'CloseMicrostructure',
  data: { microstructureId, closedOn: '2025-06-30', reason: 'Départ à la retraite du médecin', today, ...data },
});
const closed: MicrostructureClosed = {
  type: 'MicrostructureClosed',
  data: { ...ids, kind: 'ADDICTION', department: '67', closedOn: '2025-06-30', reason: 'Départ à la retraite du médecin' },
};
const addPartner = (data: Partial<AddPartner['data']> = {}): AddPartner => ({
  type: 'AddPartner',
  data: { microstructureId, partnerId: 'csapa-1', name: 'CSAPA Ithaque', type: 'CSAPA', ...data },
});
const partnerAdded: PartnerAdded = { type: 'PartnerAdded', data: { ...ids, partnerId: 'csapa-1', name: 'CSAPA Ithaque', type: 'CSAPA' } };
const removePartner = (partnerId = 'csapa-1'): RemovePartner => ({ type: 'RemovePartner', data: { microstructureId, partnerId } });
const rename = (name: string): RenameMicrostructure => ({ type: 'RenameMicrostructure', data: { microstructureId, name } });
const move = (data: Partial<MoveMicrostructure['data']> = {}): MoveMicrostructure => ({
  type: 'MoveMicrostructure',
  data: { microstructureId, practiceSite: { ...site, name: 'MSP de la Meinau', type: 'MSP' }, department: '67', ...data },
});

const gpJoined = joined('gp-1', 'GENERAL_PRACTITIONER');
const active = [created, gpJoined, opened];

describe('Microstructure', () => {
  describe('CreateMicrostructure', () => {
    it('creates it in creation, of the addictions kind by default', () => {
      given(microstructureDecider, []).when(create()).then([created]);
      expect(fold(microstructureDecider, [created]).status).toBe('IN_CREATION');
    });

    it('records a mental-health microstructure', () => {
      const [event] = given(microstructureDecider, []).when(create({ kind: 'MENTAL_HEALTH' })).events();
      expect(event).toMatchObject({ type: 'MicrostructureCreated', data: { kind: 'MENTAL_HEALTH' } });
    });

    describe('when it already exists', () => {
      it('refuses to create it again', () => {
        given(microstructureDecider, [created]).when(create()).thenThrows('MICROSTRUCTURE_ALREADY_EXISTS');
      });
    });

    it.each([
      ['an empty id', { microstructureId: '' }, 'ID_REQUIRED'],
      ['an empty network id', { networkId: ' ' }, 'ID_REQUIRED'],
      ['an empty name', { name: '' }, 'NAME_REQUIRED'],
      ['an unknown kind', { kind: 'PAEDIATRICS' as never }, 'INVALID_MICROSTRUCTURE_KIND'],
      ['an unknown site type', { practiceSite: { ...site, type: 'HOSPITAL' as never } }, 'INVALID_PRACTICE_SITE_TYPE'],
      ['a site without a name', { practiceSite: { ...site, name: '' } }, 'NAME_REQUIRED'],
      ['an invalid postal code', { practiceSite: { ...site, address: { ...site.address, postalCode: '6710' } } }, 'INVALID_POSTAL_CODE'],
      ['an address without a city', { practiceSite: { ...site, address: { ...site.address, city: '' } } }, 'ADDRESS_REQUIRED'],
      ['an invalid department', { department: '20' }, 'INVALID_DEPARTMENT'],
      ['an invalid creation date', { createdAt: 'yesterday' }, 'INVALID_DATE'],
    ])('refuses %s', (_case, data, code) => {
      given(microstructureDecider, []).when(create(data)).thenThrows(code);
    });
  });

  describe('when the microstructure does not exist', () => {
    it.each<[string, MicrostructureCommand]>([
      ['RenameMicrostructure', rename('x')],
      ['MoveMicrostructure', move()],
      ['AddMember', addMember('gp-1', 'GENERAL_PRACTITIONER')],
      ['EndMembership', endMembership('gp-1')],
      ['OpenMicrostructure', open()],
      ['CloseMicrostructure', close()],
      ['AddPartner', addPartner()],
      ['RemovePartner', removePartner()],
    ])('refuses %s', (_type, command) => {
      given(microstructureDecider, []).when(command).thenThrows('MICROSTRUCTURE_NOT_FOUND', 'Cette microstructure n’existe pas.');
    });
  });

  describe('when the microstructure is closed', () => {
    const history = [...active, partnerAdded, closed];

    it('refuses a new member', () => {
      given(microstructureDecider, history)
        .when(addMember('psy-1', 'PSYCHOLOGIST'))
        .thenThrows('MICROSTRUCTURE_CLOSED', 'Un professionnel ne peut pas rejoindre une microstructure fermée.');
    });

    it.each<[string, MicrostructureCommand]>([
      ['RenameMicrostructure', rename('x')],
      ['MoveMicrostructure', move()],
      ['EndMembership', endMembership('gp-1')],
      ['OpenMicrostructure', open()],
      ['AddPartner', addPartner({ partnerId: 'cmp-1' })],
      ['RemovePartner', removePartner()],
    ])('refuses %s', (_type, command) => {
      given(microstructureDecider, history).when(command).thenThrows('MICROSTRUCTURE_CLOSED', 'fermée');
    });

    it('refuses to close it again', () => {
      given(microstructureDecider, history).when(close()).thenThrows('ALREADY_CLOSED', 'déjà fermée depuis le 2025-06-30');
    });

    it('keeps its history: members, partners and dates', () => {
      expect(fold(microstructureDecider, history)).toMatchObject({
        status: 'CLOSED',
        openedOn: '2024-03-01',
        closedOn: '2025-06-30',
        closureReason: 'Départ à la retraite du médecin',
        memberships: [{ professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', role: 'MEMBER', startedOn: '2024-02-01' }],
        partners: [{ partnerId: 'csapa-1', name: 'CSAPA Ithaque', type: 'CSAPA' }],
      });
    });
  });

  describe('RenameMicrostructure', () => {
    it('renames it', () => {
      given(microstructureDecider, [created]).when(rename(' MS Neudorf ')).then([{ type: 'MicrostructureRenamed', data: { ...ids, name: 'MS Neudorf' } }]);
    });

    it('records nothing when the name is the same', () => {
      given(microstructureDecider, [created]).when(rename('Microstructure du Neudorf')).then([]);
    });

    it('refuses an empty name', () => {
      given(microstructureDecider, [created]).when(rename('  ')).thenThrows('NAME_REQUIRED', 'Le nom de la microstructure est obligatoire.');
    });
  });

  describe('MoveMicrostructure', () => {
    it('records the new practice site and department', () => {
      given(microstructureDecider, active)
        .when(move())
        .then([{ type: 'MicrostructureMoved', data: { ...ids, practiceSite: { ...site, name: 'MSP de la Meinau', type: 'MSP' }, department: '67' } }]);
    });

    it('records nothing when nothing changes', () => {
      given(microstructureDecider, [created]).when(move({ practiceSite: site })).then([]);
    });

    it.each([
      ['an invalid department', { department: '999' }, 'INVALID_DEPARTMENT'],
      ['an invalid site', { practiceSite: { ...site, address: { ...site.address, street: '' } } }, 'ADDRESS_REQUIRED'],
    ])('refuses %s', (_case, data, code) => {
      given(microstructureDecider, [created]).when(move(data)).thenThrows(code);
    });
  });

  describe('AddMember', () => {
    it('adds a professional to the team, as a member by default', () => {
      given(microstructureDecider, [created]).when(addMember('gp-1', 'GENERAL_PRACTITIONER')).then([gpJoined]);
    });

    it('records the coordinating GP', () => {
      given(microstructureDecider, [created])
        .when(addMember('gp-1', 'GENERAL_PRACTITIONER', { role: 'COORDINATING_GP' }))
        .then([{ ...gpJoined, data: { ...gpJoined.data, role: 'COORDINATING_GP' } }]);
    });

    it('records a visiting psychiatrist in an active microstructure', () => {
      const [event] = given(microstructureDecider, active).when(addMember('psy-2', 'PSYCHIATRIST', { role: 'VISITING', startedOn: '2024-05-01' })).events();
      expect(event).toMatchObject({ type: 'ProfessionalJoinedMicrostructure', data: { ...ids, profession: 'PSYCHIATRIST', role: 'VISITING' } });
    });

    describe('when the professional is already a member', () => {
      it('refuses a second membership', () => {
        given(microstructureDecider, [created, gpJoined])
          .when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: '2024-04-01' }))
          .thenThrows('ALREADY_MEMBER', 'fait déjà partie de l’équipe');
      });
    });

    describe('when the professional left the team', () => {
      const history = [created, gpJoined, ended('gp-1', 'GENERAL_PRACTITIONER', '2024-06-30')];

      it('accepts them back after they left', () => {
        given(microstructureDecider, history).when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: '2024-09-01' })).then([joined('gp-1', 'GENERAL_PRACTITIONER', '2024-09-01')]);
      });

      it('refuses a new membership starting before they left', () => {
        given(microstructureDecider, history).when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: '2024-06-30' })).thenThrows('INVALID_DATE_RANGE', '2024-06-30');
      });
    });

    it('reserves the coordinating role to a GP', () => {
      given(microstructureDecider, [created])
        .when(addMember('psy-1', 'PSYCHOLOGIST', { role: 'COORDINATING_GP' }))
        .thenThrows('INVALID_MEMBER_ROLE', 'Le rôle de médecin coordinateur est réservé à un médecin généraliste.');
    });

    it.each([
      ['an empty professional id', addMember('', 'PSYCHOLOGIST'), 'ID_REQUIRED'],
      ['an unknown profession', addMember('n-1', 'NURSE' as never), 'INVALID_PROFESSION'],
      ['an unknown role', addMember('psy-1', 'PSYCHOLOGIST', { role: 'HEAD' as never }), 'INVALID_MEMBER_ROLE'],
      ['an invalid start date', addMember('psy-1', 'PSYCHOLOGIST', { startedOn: '2024-02-30' }), 'INVALID_DATE'],
    ])('refuses %s', (_case, command, code) => {
      given(microstructureDecider, [created]).when(command).thenThrows(code);
    });
  });

  describe('EndMembership', () => {
    it('ends the membership, with what projections need', () => {
      given(microstructureDecider, active)
        .when(endMembership('gp-1', { reason: ' Déménagement ' }))
        .then([{ type: 'MembershipEnded', data: { ...ids, professionalId: 'gp-1', profession: 'GENERAL_PRACTITIONER', startedOn: '2024-02-01', endedOn: '2024-09-30', reason: 'Déménagement' } }]);
    });

    it('accepts an end on the day it started', () => {
      given(microstructureDecider, active).when(endMembership('gp-1', { endedOn: '2024-02-01' })).then([ended('gp-1', 'GENERAL_PRACTITIONER', '2024-02-01')]);
    });

    it('refuses a professional who is not in the team', () => {
      given(microstructureDecider, active).when(endMembership('psy-1')).thenThrows('NOT_A_MEMBER', 'ne fait pas partie de l’équipe');
    });

    it('refuses a professional who already left', () => {
      given(microstructureDecider, [...active, ended('gp-1', 'GENERAL_PRACTITIONER', '2024-06-30')]).when(endMembership('gp-1')).thenThrows('NOT_A_MEMBER');
    });

    it('refuses an end before the start', () => {
      given(microstructureDecider, active)
        .when(endMembership('gp-1', { endedOn: '2024-01-31' }))
        .thenThrows('INVALID_DATE_RANGE', 'La date de fin ne peut pas précéder l’arrivée dans l’équipe (2024-02-01).');
    });

    it('refuses an invalid date', () => {
      given(microstructureDecider, active).when(endMembership('gp-1', { endedOn: '30/09/2024' })).thenThrows('INVALID_DATE');
    });
  });

  describe('OpenMicrostructure', () => {
    it('opens it when a GP is in the team', () => {
      given(microstructureDecider, [created, gpJoined]).when(open()).then([opened]);
      expect(fold(microstructureDecider, active)).toMatchObject({ status: 'ACTIVE', openedOn: '2024-03-01' });
    });

    it('opens it on the day the GP joins', () => {
      given(microstructureDecider, [created, gpJoined]).when(open('2024-02-01')).then([{ ...opened, data: { ...opened.data, openedOn: '2024-02-01' } }]);
    });

    describe('without a GP in the team', () => {
      it('refuses with only a psychologist and a social worker', () => {
        given(microstructureDecider, [created, joined('psy-1', 'PSYCHOLOGIST'), joined('sw-1', 'SOCIAL_WORKER')])
          .when(open())
          .thenThrows('GP_REQUIRED', 'au moins un médecin généraliste');
      });

      it('refuses when the GP has left', () => {
        given(microstructureDecider, [created, gpJoined, ended('gp-1', 'GENERAL_PRACTITIONER', '2024-02-15')]).when(open()).thenThrows('GP_REQUIRED');
      });

      it('refuses when the GP joins after the opening date', () => {
        given(microstructureDecider, [created, gpJoined]).when(open('2024-01-31')).thenThrows('GP_REQUIRED');
      });
    });

    it('refuses to open it twice', () => {
      given(microstructureDecider, active).when(open('2024-04-01')).thenThrows('MICROSTRUCTURE_ALREADY_OPEN', 'déjà ouverte depuis le 2024-03-01');
    });

    it('refuses an invalid date', () => {
      given(microstructureDecider, [created, gpJoined]).when(open('2024-03-32')).thenThrows('INVALID_DATE');
    });
  });

  describe('CloseMicrostructure', () => {
    it('closes an active microstructure', () => {
      given(microstructureDecider, active).when(close()).then([closed]);
    });

    it('closes a microstructure that never opened', () => {
      given(microstructureDecider, [created]).when(close({ closedOn: '2024-01-10' })).then([{ ...closed, data: { ...closed.data, closedOn: '2024-01-10' } }]);
    });

    it('refuses a closing date before the opening', () => {
      given(microstructureDecider, active).when(close({ closedOn: '2024-02-28' })).thenThrows('INVALID_DATE_RANGE', 'La date de fermeture ne peut pas précéder l’ouverture (2024-03-01).');
    });

    it('requires a reason', () => {
      given(microstructureDecider, active).when(close({ reason: ' ' })).thenThrows('REASON_REQUIRED', 'Le motif est obligatoire.');
    });

    it('refuses an invalid date', () => {
      given(microstructureDecider, active).when(close({ closedOn: '2025-02-29' })).thenThrows('INVALID_DATE');
    });
  });

  describe('AddPartner', () => {
    it('adds a partner', () => {
      given(microstructureDecider, active).when(addPartner()).then([partnerAdded]);
    });

    it('keeps the contact when given', () => {
      given(microstructureDecider, [created])
        .when(addPartner({ partnerId: 'pharma-1', name: 'Pharmacie du Polygone', type: 'PHARMACY', contact: ' 03 88 00 00 00 ' }))
        .then([{ type: 'PartnerAdded', data: { ...ids, partnerId: 'pharma-1', name: 'Pharmacie du Polygone', type: 'PHARMACY', contact: '03 88 00 00 00' } }]);
    });

    it('refuses a partner already added', () => {
      given(microstructureDecider, [created, partnerAdded]).when(addPartner()).thenThrows('PARTNER_ALREADY_ADDED');
    });

    it('accepts a partner again after its removal', () => {
      given(microstructureDecider, [created, partnerAdded, { type: 'PartnerRemoved', data: { ...ids, partnerId: 'csapa-1' } }]).when(addPartner()).then([partnerAdded]);
    });

    it.each([
      ['an empty partner id', { partnerId: '' }, 'ID_REQUIRED'],
      ['an empty name', { name: '' }, 'NAME_REQUIRED'],
      ['an unknown type', { type: 'SCHOOL' as never }, 'INVALID_PARTNER_TYPE'],
      ['a contact too long', { contact: 'x'.repeat(1001) }, 'TEXT_TOO_LONG'],
    ])('refuses %s', (_case, data, code) => {
      given(microstructureDecider, [created]).when(addPartner(data)).thenThrows(code);
    });
  });

  describe('RemovePartner', () => {
    it('removes a partner', () => {
      given(microstructureDecider, [created, partnerAdded]).when(removePartner()).then([{ type: 'PartnerRemoved', data: { ...ids, partnerId: 'csapa-1' } }]);
    });

    it('refuses an unknown partner', () => {
      given(microstructureDecider, [created, partnerAdded]).when(removePartner('cmp-9')).thenThrows('PARTNER_NOT_FOUND');
    });
  });

  describe('completeness', () => {
    it('reports every profession missing when nobody has joined', () => {
      expect(completeness(fold(microstructureDecider, [created]))).toEqual({
        hasGeneralPractitioner: false,
        hasPsychologist: false,
        hasSocialWorker: false,
        complete: false,
        missing: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'],
      });
    });

    it('is complete with a GP, a psychologist and a social worker', () => {
      const state = fold(microstructureDecider, [...active, joined('psy-1', 'PSYCHOLOGIST'), joined('sw-1', 'SOCIAL_WORKER')]);
      expect(completeness(state)).toEqual({ hasGeneralPractitioner: true, hasPsychologist: true, hasSocialWorker: true, complete: true, missing: [] });
    });

    it('counts only current members', () => {
      const state = fold(microstructureDecider, [...active, joined('psy-1', 'PSYCHOLOGIST'), ended('psy-1', 'PSYCHOLOGIST', '2024-05-31'), joined('sw-1', 'SOCIAL_WORKER')]);
      expect(completeness(state)).toMatchObject({ complete: false, hasPsychologist: false, missing: ['PSYCHOLOGIST'] });
    });

    it('does not count a psychiatrist as the psychologist', () => {
      expect(completenessOf(['GENERAL_PRACTITIONER', 'PSYCHIATRIST', 'SOCIAL_WORKER'])).toMatchObject({ complete: false, missing: ['PSYCHOLOGIST'] });
    });

    it('never blocks opening: an incomplete team may open', () => {
      given(microstructureDecider, [created, gpJoined]).when(open()).then([opened]);
    });

    it('reports nothing for a microstructure that does not exist', () => {
      expect(completeness(microstructureDecider.initialState())).toMatchObject({ complete: false, missing: ['GENERAL_PRACTITIONER', 'PSYCHOLOGIST', 'SOCIAL_WORKER'] });
    });
  });

  describe('state', () => {
    it('follows renames, moves, memberships and partners', () => {
      const state = fold(microstructureDecider, [
        created,
        { type: 'MicrostructureRenamed', data: { ...ids, name: 'MS Neudorf' } },
        { type: 'MicrostructureMoved', data: { ...ids, practiceSite: { ...site, type: 'MSP' }, department: '67' } },
        gpJoined,
        joined('psy-1', 'PSYCHOLOGIST'),
        ended('psy-1', 'PSYCHOLOGIST', '2024-05-31'),
        joined('psy-1', 'PSYCHOLOGIST', '2024-09-01'),
        partnerAdded,
        { type: 'PartnerAdded', data: { ...ids, partnerId: 'cmp-1', name: 'CMP Neudorf', type: 'CMP', contact: 'accueil@cmp.fr' } },
        { type: 'PartnerRemoved', data: { ...ids, partnerId: 'csapa-1' } },
      ]);
      expect(state).toMatchObject({
        status: 'IN_CREATION',
        name: 'MS Neudorf',
        practiceSite: { type: 'MSP' },
        memberships: [
          { professionalId: 'gp-1', startedOn: '2024-02-01' },
          { professionalId: 'psy-1', startedOn: '2024-02-01', endedOn: '2024-05-31' },
          { professionalId: 'psy-1', startedOn: '2024-09-01' },
        ],
        partners: [{ partnerId: 'cmp-1', name: 'CMP Neudorf', type: 'CMP', contact: 'accueil@cmp.fr' }],
      });
    });
  });
});

describe('Microstructure: time rules (docs/time-rules.md)', () => {
  it('refuses a membership starting before 1900 or after today', () => {
    given(microstructureDecider, [created]).when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: '0001-01-01' })).thenThrows('DATE_TOO_EARLY', /1900-01-01/);
    given(microstructureDecider, [created]).when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: '9999-12-31' })).thenThrows('DATE_IN_FUTURE', /9999-12-31/);
  });

  it('accepts a membership starting today', () => {
    expect(given(microstructureDecider, [created]).when(addMember('gp-1', 'GENERAL_PRACTITIONER', { startedOn: today })).events()).toHaveLength(1);
  });

  it('refuses a membership ending after today', () => {
    given(microstructureDecider, active).when(endMembership('gp-1', { endedOn: '9999-12-31' })).thenThrows('DATE_IN_FUTURE');
  });

  it('refuses an opening or a closing in the future or before 1900', () => {
    given(microstructureDecider, [created, gpJoined]).when(open('9999-12-31')).thenThrows('DATE_IN_FUTURE');
    given(microstructureDecider, [created, gpJoined]).when(open('0001-01-01')).thenThrows('DATE_TOO_EARLY');
    given(microstructureDecider, active).when(close({ closedOn: '9999-12-31' })).thenThrows('DATE_IN_FUTURE');
  });

  it('refuses a closing dated before a membership of the team started or ended', () => {
    const joinedLater = joined('psy-1', 'PSYCHOLOGIST', '2025-02-01');
    given(microstructureDecider, [...active, joinedLater]).when(close({ closedOn: '2025-01-15' })).thenThrows('CLOSURE_BEFORE_MEMBERSHIP', /2025-02-01/);
    given(microstructureDecider, [...active, ended('gp-1', 'GENERAL_PRACTITIONER', '2025-03-10')]).when(close({ closedOn: '2025-03-01' })).thenThrows('CLOSURE_BEFORE_MEMBERSHIP', /2025-03-10/);
    expect(given(microstructureDecider, [...active, joinedLater]).when(close({ closedOn: '2025-02-01' })).events()).toHaveLength(1);
  });

  it('refuses a command without today', () => {
    given(microstructureDecider, [created, gpJoined]).when({ type: 'OpenMicrostructure', data: { microstructureId, openedOn: '2024-03-01' } } as unknown as OpenMicrostructure).thenThrows('INVALID_DATE');
  });
});
