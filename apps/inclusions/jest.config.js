module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'inclusions',
  rootDir: __dirname,
};
