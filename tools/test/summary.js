// Adds up the jest results of every project (written by each test target) into one closing line, after the
// failed tests by name with the first lines of their messages: CI keeps only the tail of the output, so what
// failed must be readable there.
const fs = require('node:fs');
const path = require('node:path');

const MESSAGE_LINES = 12;
const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const firstLines = (text) =>
  text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*at .*(node_modules|node:internal|<anonymous>)/.test(line))
    .slice(0, MESSAGE_LINES)
    .map((line) => `    ${line}`)
    .join('\n');
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const result = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
  for (const suite of result.testResults ?? []) {
    const where = path.relative(process.cwd(), suite.name);
    const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedTests) {
      failures.push(`FAILED ${where} › ${test.fullName}\n${firstLines((test.failureMessages ?? []).join('\n'))}`);
    }
    if (failedTests.length === 0 && suite.status === 'failed') {
      failures.push(`FAILED ${where}: the suite failed to run\n${firstLines(suite.message ?? '')}`);
    }
  }
}
for (const failure of failures) console.log(failure);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 || passed === 0 ? 1 : 0);
