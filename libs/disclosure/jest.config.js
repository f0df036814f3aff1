module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'disclosure',
  rootDir: __dirname,
};
