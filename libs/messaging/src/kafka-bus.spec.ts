import { logLevel } from 'kafkajs';
import { KafkaLogEntry, safeLogCreator } from './kafka-bus';

describe('kafkajs logs', () => {
  it('keep only named fields: nothing a message carries reaches the logs', () => {
    const entries: KafkaLogEntry[] = [];
    const log = safeLogCreator((entry) => entries.push(entry))(logLevel.ERROR);
    log({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: {
        timestamp: '2026-01-01T00:00:00.000Z',
        message: 'Crash: KafkaJSNumberOfRetriesExceeded',
        groupId: 'inclusions',
        topic: 'directory.microstructure.v1',
        broker: '127.0.0.1:19092',
        error: 'Connection error',
        retryCount: 5,
        payload: { displayName: 'Dr Jeanne Martin' },
        value: 'Dr Jeanne Martin',
        headers: { 'event-id': 'e-1' },
      },
    });
    log({ namespace: 'Producer', level: logLevel.WARN, label: 'WARN', log: { timestamp: 'now', message: 'retrying' } });
    expect(entries).toEqual([
      { level: 'error', namespace: 'Consumer', message: 'Crash: KafkaJSNumberOfRetriesExceeded', groupId: 'inclusions', topic: 'directory.microstructure.v1', broker: '127.0.0.1:19092', error: 'Connection error' },
      { level: 'warn', namespace: 'Producer', message: 'retrying' },
    ]);
  });
});
