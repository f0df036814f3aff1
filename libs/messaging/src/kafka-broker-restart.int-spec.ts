import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, TestDatabase } from '@cnrms/testing';
import { KafkaMessageBus } from './kafka-bus';
import { Consumer, DeadLetter } from './message-bus.port';
import { eventually, testRegistry, thing } from './testing';

const repoRoot = path.resolve(__dirname, '../../..');
const run = promisify(execFile);
/**
 * This test's own broker, beside the shared one (which other suites, and other people's tests, use): its own
 * ports and data folder, started and removed here. KAFKA_RESTART_PORT moves it if 19192/19193 are taken.
 */
const port = Number(process.env.KAFKA_RESTART_PORT ?? 19192);
const brokerEnv = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_DATA: path.join(repoRoot, 'tools/kafka/.data/restart-test') };
/**
 * tools/kafka/kafka.sh start|stop|reset for this broker. In its own session (setsid): the broker must not
 * belong to the test runner's process group (a signal to the group would stop it behind the test's back).
 */
const broker = (command: 'start' | 'stop' | 'reset') => run('setsid', ['bash', 'tools/kafka/kafka.sh', command], { cwd: repoRoot, env: brokerEnv, timeout: 120_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A broker is stopped and started again while events are being published: the producer and the consumer
 * wait for it and resume, and the read model ends with every event exactly once.
 */
describe('Kafka bus across a broker restart', () => {
  const total = 300;
  const batchSize = 5;
  let database: TestDatabase | undefined;
  let bus: KafkaMessageBus | undefined;
  let consumer: Consumer | undefined;
  const deadLetters: DeadLetter[] = [];
  const topic = `test.restart${randomUUID().slice(0, 8)}.v1`;

  beforeAll(async () => {
    // Fails (does not skip) when the broker cannot start (no Java, no jars and no Maven…).
    await broker('reset');
    await broker('start').catch((error) => {
      throw new Error(`the test's Kafka broker did not start on 127.0.0.1:${port}: ${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`);
    });
    database = await createTestDatabase('kafka_restart');
    // No unique constraint: a second effect of one event would show as a second row.
    await database.pool.query('create schema consumer; create table consumer.seen (position serial primary key, event_id text not null, n integer not null)');
    bus = new KafkaMessageBus({ brokers: [`127.0.0.1:${port}`], clientId: 'restart-tests', registry: testRegistry(), logLevel: 'nothing' });
    await bus.ensureTopics([{ name: topic, partitions: 3, retentionMs: 3_600_000 }]);
    const pool = database.pool;
    consumer = await bus.subscribe({
      group: `restart-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      pool,
      schema: 'consumer',
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
      handler: async (event, tx) => {
        await tx.query('insert into consumer.seen (event_id, n) values ($1, $2)', [event.eventId, (event.payload as { n: number }).n]);
      },
    });
  }, 150_000);

  afterAll(async () => {
    await consumer?.stop().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await database?.drop();
    // Stops this test's broker and removes its data.
    await broker('reset');
  }, 150_000);

  it('delivers every event published before, during and after the outage exactly once', async () => {
    const pool = database!.pool;
    const published: string[] = [];
    let failedAttempts = 0;
    let restarted: Promise<unknown> | undefined;
    const began = Date.now();
    let outage = { stoppedAt: 0, startedAt: 0 };

    for (let n = 1; n <= total; n += batchSize) {
      if (n === Math.floor(total / 3 / batchSize) * batchSize + 1) {
        await broker('stop');
        outage.stoppedAt = Date.now();
        // The broker comes back a little later; meanwhile the loop goes on publishing into the outage.
        restarted = sleep(2_000)
          .then(() => broker('start'))
          .then(() => (outage = { ...outage, startedAt: Date.now() }));
      }
      const batch = Array.from({ length: batchSize }, (_, i) => thing(topic, `key-${(n + i) % 7}`, n + i));
      // What a relay does: a publication that failed is tried again, the same batch, until the broker takes it.
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          await bus!.publish(batch);
          break;
        } catch (error) {
          failedAttempts++;
          if (Date.now() > deadline) throw error;
          await sleep(500);
        }
      }
      published.push(...batch.map((e) => e.eventId));
      await sleep(10);
    }
    await restarted;
    const publishedIn = Date.now() - began;

    const seen = async () => (await pool.query<{ event_id: string }>('select event_id from consumer.seen')).rows;
    await eventually(seen, (r) => r.length >= total, 90_000);
    await sleep(1_000); // a late redelivery would land now
    const rows = await seen();
    console.log(
      `broker restart: ${total} events published in ${publishedIn} ms; broker down ${outage.startedAt - outage.stoppedAt} ms; ` +
        `${failedAttempts} failed publish attempt(s) retried; ${rows.length} rows in the read model`,
    );
    expect(published).toHaveLength(total);
    expect(rows).toHaveLength(total);
    expect(rows.map((r) => r.event_id).sort()).toEqual([...published].sort());
    expect(deadLetters).toEqual([]);
    expect(outage.startedAt).toBeGreaterThan(outage.stoppedAt);
  }, 240_000);
});
