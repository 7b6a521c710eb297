#!/usr/bin/env bash
# The README's test command. Runs vitest and ends with the plain line `tests: N passed, N failed`.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-output
rm -f test-output/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json "$@"
status=$?
VITEST_STATUS=$status node -e '
const fs = require("fs");
let passed = 0, failed = 0;
try {
  const r = JSON.parse(fs.readFileSync("test-output/vitest.json", "utf8"));
  passed = r.numPassedTests; failed = r.numFailedTests;
  // A file that failed without a failing test (import error, crash in a hook) still counts.
  if (failed === 0 && r.numFailedTestSuites > 0) failed = r.numFailedTestSuites;
  if (r.numTotalTests === 0) failed += 1;
  // Unhandled errors make vitest fail without a failing test: say so in the count.
  if (failed === 0 && process.env.VITEST_STATUS !== "0") failed = 1;
} catch (e) { failed = 1; }
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
'
summary=$?
if [ $status -ne 0 ] || [ $summary -ne 0 ]; then exit 1; fi
