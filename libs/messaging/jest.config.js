module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'messaging',
  rootDir: __dirname,
  // Kafka (two brokers during the restart test), PostgreSQL and Jest share the machine: one file at a
  // time keeps consumer-group joins quick and the timings steady.
  maxWorkers: 1,
};
