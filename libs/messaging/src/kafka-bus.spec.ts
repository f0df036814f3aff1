import { logLevel } from 'kafkajs';
import { KafkaLogEntry, safeLogCreator } from './kafka-bus';
import { envelopeFromMessage, envelopeHeaders } from './envelope';

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

describe('trace context in Kafka headers', () => {
  it('travels as traceparent / tracestate headers and comes back in the envelope', () => {
    const event = {
      eventId: 'e-1', type: 't', version: 1, topic: 'x.y.v1', key: 'k', payload: { a: 1 }, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', networkId: null,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1',
    };
    const headers = envelopeHeaders(event);
    expect(headers).toMatchObject({ traceparent: event.traceparent, tracestate: 'vendor=1' });
    expect(envelopeFromMessage(event.topic, event.key, headers, JSON.stringify(event.payload))).toEqual(event);
    const { traceparent: _t, tracestate: _s, ...untraced } = event;
    expect(envelopeHeaders(untraced)).not.toHaveProperty('traceparent');
  });
});

describe('command id in Kafka headers', () => {
  it('travels as a command-id header when the command had one, and comes back in the envelope', () => {
    const event = { eventId: 'e-2', type: 't', version: 1, topic: 'x.y.v1', key: 'k', payload: { a: 1 }, correlationId: 'c', causationId: null, occurredAt: '2026-01-01T00:00:00.000Z', networkId: null, commandId: 'cmd-1' };
    const headers = envelopeHeaders(event);
    expect(headers).toMatchObject({ 'command-id': 'cmd-1' });
    expect(envelopeFromMessage(event.topic, event.key, headers, JSON.stringify(event.payload))).toEqual(event);
    const { commandId: _c, ...without } = event;
    expect(envelopeHeaders(without)).not.toHaveProperty('command-id');
    expect(envelopeFromMessage(event.topic, event.key, envelopeHeaders(without), JSON.stringify(event.payload))).toEqual(without);
  });
});
