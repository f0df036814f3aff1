import { ValidationError } from '@cnrms/decider';
import pino from 'pino';
import { PinoNestLogger } from './logger';

describe('PinoNestLogger: the errors Nest logs', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    return { nest: new PinoNestLogger(logger), lines };
  };

  it('notes a coded refusal at debug level by its code, never its message (it may quote what the caller sent)', () => {
    const { nest, lines } = capture();
    nest.error(new ValidationError('INVALID_DATE', 'La date doit être une date réelle (reçu : « 1961-02-30 »).'), undefined, 'ExceptionsHandler');
    expect(lines).toEqual([expect.objectContaining({ level: 20, code: 'INVALID_DATE', error: 'ValidationError', context: 'ExceptionsHandler' })]);
    expect(JSON.stringify(lines)).not.toContain('1961-02-30');
  });

  it('logs any other error at error level by its name, code and stack frames, without its message', () => {
    const { nest, lines } = capture();
    const failure = Object.assign(new Error('duplicate key value violates unique constraint, Key (last_name)=(Zorglub) already exists'), { code: '23505' });
    nest.error(failure, undefined, 'ExceptionsHandler');
    expect(lines).toEqual([expect.objectContaining({ level: 50, code: '23505', error: 'Error', stack: expect.stringContaining('at ') })]);
    expect(JSON.stringify(lines)).not.toContain('Zorglub');
  });
});
