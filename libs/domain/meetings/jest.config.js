module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'domain-meetings',
  rootDir: __dirname,
};
