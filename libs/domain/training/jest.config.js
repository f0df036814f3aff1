module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'domain-training',
  rootDir: __dirname,
};
