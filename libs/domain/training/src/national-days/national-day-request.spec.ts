import { DomainError, fold } from '@cnrms/decider';
import { given } from '@cnrms/decider/testing';
import { trainingDecider } from '../training/decide';
import { TrainingEvent } from '../training/events';
import { answerOf, NationalDayAnswer, NationalDayRequest, nationalDayRequestDecider, nationalDayRequestStream } from './national-day-request';

const request: NationalDayRequest = {
  requestId: 'r-1',
  trainingId: 't-1',
  sessionId: 's-1',
  professionalId: 'p-1',
  profession: 'PSYCHOLOGIST',
  memberNetworkIds: ['net-bfc'],
  requestedAt: '2026-02-02T09:00:00.000Z',
};
const answer: NationalDayAnswer = { requestId: 'r-1', trainingId: 't-1', sessionId: 's-1', professionalId: 'p-1', outcome: 'REGISTERED', rank: null, reasonCode: null, reason: null, answeredAt: '2026-02-02T09:00:01.000Z' };
const at = '2026-02-02T09:00:01.000Z';

describe('a request for a seat at a national day', () => {
  it('is recorded once, in its own stream', () => {
    expect(nationalDayRequestStream('r-1')).toBe('nationaldayrequest-r-1');
    given(nationalDayRequestDecider).when({ type: 'RequestNationalDayRegistration', data: request }).then([{ type: 'NationalDayRegistrationRequested', data: request }]);
    given(nationalDayRequestDecider, [{ type: 'NationalDayRegistrationRequested', data: request }]).when({ type: 'RequestNationalDayRegistration', data: request }).thenThrows('REQUEST_ALREADY_EXISTS');
  });

  it('is refused for a professional who is a member of no network of the region', () => {
    given(nationalDayRequestDecider).when({ type: 'RequestNationalDayRegistration', data: { ...request, memberNetworkIds: [] } }).thenThrows('NOT_A_MEMBER', /membre/);
  });

  it('records its answer once: the same answer delivered again records nothing', () => {
    given(nationalDayRequestDecider).when({ type: 'RecordNationalDayAnswer', data: answer }).then([{ type: 'NationalDayRegistrationAnswered', data: answer }]);
    given(nationalDayRequestDecider, [{ type: 'NationalDayRegistrationAnswered', data: answer }]).when({ type: 'RecordNationalDayAnswer', data: answer }).then([]);
  });
});

describe('the answer, from what the national training decider did', () => {
  const published: TrainingEvent = {
    type: 'TrainingPublished',
    data: {
      trainingId: 't-1',
      networkId: null,
      kind: 'NATIONAL_EVENT',
      title: 'Journée nationale des microstructures',
      theme: 'OTHER',
      audience: ['PSYCHOLOGIST', 'GENERAL_PRACTITIONER'],
      format: 'REMOTE',
      registrationClosesOn: '2026-03-05',
      sessions: [{ sessionId: 's-1', date: '2026-03-12', startTime: '09:00', endTime: '12:00', place: null, capacity: 1, hours: 3 }],
      publishedBy: 'u-national',
      publishedOn: '2026-02-01',
    },
  };
  const register = (registrationId: string, professionalId: string) =>
    trainingDecider.decide(
      { type: 'RegisterProfessional', data: { trainingId: 't-1', sessionId: 's-1', registrationId, professionalId, profession: 'PSYCHOLOGIST', memberNetworkIds: ['net-bfc'], today: '2026-02-02', requestedAt: at } },
      fold(trainingDecider, history),
    );
  let history: TrainingEvent[] = [published];

  it('says registered, then wait-listed with the rank, when the one seat is taken', () => {
    history = [published];
    const first = register('r-1', 'p-1');
    expect(answerOf(request, { events: first }, at)).toMatchObject({ outcome: 'REGISTERED', rank: null, reason: null });
    history = [published, ...first];
    const second = register('r-2', 'p-2');
    expect(answerOf({ ...request, requestId: 'r-2', professionalId: 'p-2' }, { events: second }, at)).toMatchObject({ outcome: 'WAITLISTED', rank: 1 });
  });

  it('answers a redelivered request as it was decided the first time', () => {
    history = [published];
    history = [published, ...register('r-1', 'p-1')];
    history = [...history, ...register('r-2', 'p-2')];
    let refused: unknown;
    try {
      register('r-2', 'p-2');
    } catch (error) {
      refused = error;
    }
    const state = fold(trainingDecider, history);
    expect(answerOf({ ...request, requestId: 'r-2', professionalId: 'p-2' }, { refused: refused as DomainError, state }, at)).toMatchObject({ outcome: 'WAITLISTED', rank: 1 });
    expect(answerOf(request, { refused: refused as DomainError, state }, at)).toMatchObject({ outcome: 'REGISTERED' });
  });

  it('says refused, with the decider’s code and message', () => {
    const refusal = new DomainError('PROFESSION_NOT_IN_AUDIENCE', 'Cette formation s’adresse aux professions suivantes : PSYCHOLOGIST.');
    expect(answerOf({ ...request, requestId: 'r-9' }, { refused: refusal, state: fold(trainingDecider, [published]) }, at)).toEqual({
      ...answer,
      requestId: 'r-9',
      outcome: 'REFUSED',
      reasonCode: 'PROFESSION_NOT_IN_AUDIENCE',
      reason: 'Cette formation s’adresse aux professions suivantes : PSYCHOLOGIST.',
    });
  });
});
