module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'reporting',
  rootDir: __dirname,
  // Two suites at a time: the integration suites share the machine's PostgreSQL with the other projects, and the freshness spec measures time.
  maxWorkers: 2,
  testTimeout: 30_000,
};
