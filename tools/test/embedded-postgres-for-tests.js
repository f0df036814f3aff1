// Fallback for machines without a PostgreSQL server: an embedded one on port 54330 for the tests.
// Runs until it receives SIGTERM or SIGINT, then stops the server.
const path = require('node:path');
const { startEmbeddedPostgres } = require('../start/embedded-postgres');

const dataDir = path.resolve(__dirname, '..', '..', '.data', 'test-postgres');

startEmbeddedPostgres({ dataDir, port: 54330, database: 'postgres', log: console.log })
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
