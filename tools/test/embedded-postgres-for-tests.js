// Fallback for machines without a PostgreSQL server: an embedded one on port 54330 for the tests.
// Runs until it receives SIGTERM or SIGINT, then stops the server. EMBEDDED_TEST_PG_PORT and EMBEDDED_TEST_PG_DATA
// give another one (the fault-injection test runs its own, to restart it).
const path = require('node:path');
const { startEmbeddedPostgres } = require('../start/embedded-postgres');

const dataDir = path.resolve(process.env.EMBEDDED_TEST_PG_DATA ?? path.join(__dirname, '..', '..', '.data', 'test-postgres'));
const port = Number(process.env.EMBEDDED_TEST_PG_PORT ?? 54330);

startEmbeddedPostgres({ dataDir, port, database: 'postgres', log: console.log })
  .then((server) => {
    console.log(`embedded PostgreSQL for tests at ${server.url}`);
    const stop = () => server.stop().finally(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
