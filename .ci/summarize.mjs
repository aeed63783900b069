// Adds up the vitest JSON reports and failed CI steps; prints "N passed, N failed" as the last line.
import fs from 'node:fs';
import path from 'node:path';

const [dir, stepCount, ...steps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // a suite that failed to load counts too
  failed += report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
}
const failedSteps = Number(stepCount);
for (const s of steps) console.log(`failed step: ${s}`);
failed += failedSteps;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
