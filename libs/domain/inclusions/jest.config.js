module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'domain-inclusions',
  rootDir: __dirname,
};
