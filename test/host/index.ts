// The host suite's entry point (extensionTestsPath): VS Code's extension host calls run() and reports
// failure when the promise rejects. It runs every dist/test/host/**/*.test.js with mocha and knows
// nothing about who started the host, so scripts/vscode/run-host-tests.mjs (code-server + Chromium)
// and test/electron.ts (@vscode/test-electron, desktop VS Code) run the same suite.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import SummaryReporter from '../support/summary-reporter';

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // The extension host is slow to warm up and tests talk to real servers: be generous.
    timeout: Number(process.env.KIMI_HOST_TEST_TIMEOUT_MS ?? 60_000),
    reporter: SummaryReporter,
    // The same suite runs on the oldest VS Code we claim as `host-old` (scripts/test.sh).
    reporterOptions: { suite: process.env.KIMI_HOST_SUITE ?? 'host' },
  });
  const grep = process.env.KIMI_HOST_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = findTests(__dirname);
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      console.log('host: 0 passed, 0 failed');
      reject(new Error(`no host tests found under ${__dirname}`));
      return;
    }
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} host test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
