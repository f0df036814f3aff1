// Unit specs of the dashboard's logic (errors in French, CSV, periods, access rules): plain TypeScript in node.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'dashboard',
  rootDir: __dirname,
  testMatch: ['**/*.spec.ts'],
  setupFiles: [],
};
