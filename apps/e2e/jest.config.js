module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e',
  rootDir: __dirname,
  // A test without its own timeout drives the whole platform (several commands, projections waited for with
  // `eventually`'s own deadlines): jest's default 5 s cut such tests short on a loaded machine, not the platform.
  testTimeout: 120_000,
};
