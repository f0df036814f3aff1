module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'domain-reporting',
  rootDir: __dirname,
};
