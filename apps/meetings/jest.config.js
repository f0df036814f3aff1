module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'meetings',
  rootDir: __dirname,
};
