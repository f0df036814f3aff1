module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'domain-directory',
  rootDir: __dirname,
};
