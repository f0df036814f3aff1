import { Identity } from '@cnrms/auth';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually, Platform } from './platform';

/**
 * Traces end to end: the whole platform exports its spans over OTLP/HTTP to a small receiver on
 * loopback (the collector's place). One mutation at the gateway makes ONE trace that runs through the
 * directory's request, its event store append, its relay's publication on the bus (the W3C context in
 * the PostgreSQL bus's envelope, or in the Kafka message's headers), and the reporting
 * service's consumer and projection that counted the new network — and no span attribute carries the
 * data of the command.
 */

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: { key: string; value: AnyValue }[] };
type OtlpRequest = { resourceSpans?: { resource?: { attributes?: { key: string; value: AnyValue }[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

/** OTLP/JSON writes ids in hex; accept base64 too (the protobuf-JSON mapping). */
const hex = (id: string | undefined) => (!id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));
const valueOf = (value: AnyValue) => value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;

/** The OTLP/HTTP traces endpoint (`POST /v1/traces`, JSON), keeping every span it receives. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
        const request = JSON.parse(body) as OtlpRequest;
        for (const resourceSpans of request.resourceSpans ?? []) {
          const service = String(valueOf(resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {}) ?? '');
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                service,
                traceId: hex(span.traceId),
                spanId: hex(span.spanId),
                parentSpanId: hex(span.parentSpanId),
                name: span.name,
                attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, valueOf(a.value)])),
              });
            }
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const buses: { bus: string; portOffset: number; env: Record<string, string> }[] = [
  { bus: 'postgres', portOffset: 5500, env: { BUS: 'postgres' } },
  { bus: 'kafka', portOffset: 5550, env: { BUS: 'kafka', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:19092' } },
];

describe.each(buses)('traces across the platform, over the $bus bus', ({ portOffset, env }) => {
  let database: TestDatabase;
  let platform: Platform;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const national: Identity = { userId: 'u-national', roles: ['national_coordinator'], networkIds: [], microstructureIds: [] };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = await createTestDatabase('e2e_tracing');
    platform = await Platform.start({
      databaseUrl: database.url,
      portOffset,
      demoData: false,
      env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' },
      timeoutMs: Number(process.env.SERVICE_READY_TIMEOUT_S ?? 60) * 1000 * 2,
    });
  }, Number(process.env.SERVICE_READY_TIMEOUT_S ?? 60) * 1000 * 2 + 30_000);

  afterAll(async () => {
    await platform?.stop();
    await receiver?.close();
    await database?.drop();
  }, 60_000);

  it('follows one mutation from the gateway to the reporting consumer that counted it, in one trace', async () => {
    const name = 'Réseau tracé de bout en bout';
    const { createRegionalNetwork } = await platform.data<{ createRegionalNetwork: { id: string } }>(
      national,
      'mutation($input: CreateRegionalNetworkInput!) { createRegionalNetwork(input: $input) { id } }',
      { input: { name, region: '44', departments: ['67'] } },
    );
    expect(createRegionalNetwork.id).toBeTruthy();

    // The gateway's span of the mutation is the root of its trace.
    const root = await eventually(
      async () => receiver.spans.find((span) => span.service === 'gateway' && span.name === 'POST /graphql' && span.parentSpanId === '' && span.attributes['graphql.operation.name'] !== undefined),
      (span) => span !== undefined,
      60_000,
    );
    const traceId = root!.traceId;
    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    // The reporting service's consumer handled the network's creation, and its projection recorded it.
    await eventually(
      async () => inTrace(),
      (spans) => spans.some((span) => span.service === 'reporting' && span.name.startsWith('projection ')),
      120_000,
    );
    const spans = inTrace();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const consumer = spans.find((span) => span.service === 'reporting' && span.name.startsWith('consume ') && span.attributes['cnrms.outcome'] === 'handled');
    expect(consumer).toBeDefined();
    expect(consumer!.attributes['cnrms.event.type']).toBe('directory.NetworkCreated');

    // Walk up from the reporting consumer's projection to the gateway: every hop of the path, in order.
    const projection = spans.find((span) => span.service === 'reporting' && span.name.startsWith('projection ') && span.parentSpanId === consumer!.spanId);
    expect(projection).toBeDefined();
    const path: string[] = [];
    for (let span: ReceivedSpan | undefined = projection; span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) {
      path.unshift(`${span.service}: ${span.name}`);
      if (!span.parentSpanId) expect(span.spanId).toBe(root!.spanId);
    }
    expect(path).toEqual([
      'gateway: POST /graphql',
      'directory: POST /graphql',
      'directory: event store append',
      expect.stringMatching(/^directory: publish directory/),
      expect.stringMatching(/^reporting: consume directory/),
      expect.stringMatching(/^reporting: projection \S*reporting$/),
    ]);

    // No span carries the command's data (here the network's name): ids, names of things in the code, counts.
    expect(JSON.stringify(spans)).not.toContain(name);
    expect(JSON.stringify(spans)).not.toContain(name);
  }, 240_000);
});
