'use strict';
// Mocha reporter: the spec reporter's output, plus a JSON summary written to
// <repo>/test-results/<package>.json so that scripts/test-all.mjs can print one
// closing "N passed, N failed" line for every suite together.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const failures = [];
    runner.on(EVENT_TEST_PASS, () => {
      counts.passed += 1;
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      counts.failed += 1;
      // Kept short: test-all.mjs prints these last, where a CI log's tail shows them.
      const message = String((err && (err.stack || err.message)) || err)
        .split('\n')
        .slice(0, 6)
        .join('\n');
      failures.push({ title: test.fullTitle(), file: test.file ? path.relative(process.cwd(), test.file) : undefined, message });
    });
    runner.on(EVENT_TEST_PENDING, () => {
      counts.skipped += 1;
    });
    runner.once(EVENT_RUN_END, () => {
      const pkgFile = path.join(process.cwd(), 'package.json');
      const name = fs.existsSync(pkgFile) ? JSON.parse(fs.readFileSync(pkgFile, 'utf8')).name : path.basename(process.cwd());
      const dir = path.join(__dirname, '..', 'test-results');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${String(name).replace(/[^\w.-]+/g, '_')}.json`);
      fs.writeFileSync(file, JSON.stringify({ name, ...counts, failures }, null, 2));
    });
  }
}

module.exports = SummaryReporter;
