// Runs the host suite inside a real VS Code extension host: starts the VS Code server with this
// extension, opens the workbench in headless Chromium with extensionDevelopmentPath and
// extensionTestsPath in the payload, echoes the extension host's console (mocha's output, ending
// with `host: N passed, M failed`) and exits with the code the extension host reports.
//
//   node scripts/vscode/run-host-tests.mjs [--tests dist/test/host/index.js] [--timeout 600]
//        [--env NAME=VALUE]... [--verbose]
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { launchChromium, startVSCodeServer, workbenchUrl } from './server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const verbose = argv.includes('--verbose');
const tests = resolve(root, opt('tests', 'dist/test/host/index.js'));
const timeoutSec = Number(opt('timeout', '600'));
const extraEnv = {};
argv.forEach((a, i) => {
  if (a === '--env') {
    const [k, ...v] = argv[i + 1].split('=');
    extraEnv[k] = v.join('=');
  }
});

// The workbench's own chatter and the offline noise it logs on every run; shown only with --verbose.
const noise = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[(reconnection-grace-time|AgentHost[^\]]*|AccountPolicyGate|Service Worker)\]/,
  /ENOTFOUND/,
  /authentication provider/,
];

if (!existsSync(tests)) {
  console.error(`host: ${tests} does not exist (build first: node esbuild.mjs)`);
  process.exit(1);
}

const started = Date.now();
const server = await startVSCodeServer({
  root,
  env: extraEnv,
  onOutput: verbose ? (t) => process.stdout.write(`[server] ${t}`) : undefined,
});
const browser = await launchChromium();
let exitCode = 1;
try {
  const page = await browser.newPage();
  exitCode = await new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      console.error(`host: the extension host did not finish within ${timeoutSec} s`);
      resolveExit(1);
    }, timeoutSec * 1000);
    // The workbench forwards the extension host's console here (it only does so in test mode).
    page.exposeFunction('codeAutomationLog', (type, message) => {
      // The arguments of a console call in the extension host (mocha's spec reporter uses format strings).
      const text = Array.isArray(message) ? format(...message) : String(message);
      if (!verbose && noise.some((re) => re.test(text))) return;
      (type === 'error' ? console.error : console.log)(text);
    });
    page.exposeFunction('codeAutomationExit', (code) => {
      clearTimeout(timer);
      resolveExit(Number(code));
    });
    if (verbose) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => verbose && console.log(`[browser:pageerror] ${e.message}`));
    page
      // 'commit': the load event can come late (offline, on a busy machine); the exit code is what counts.
      .goto(workbenchUrl(server, { extensionDevelopmentPath: root, extensionTestsPath: tests }), { waitUntil: 'commit', timeout: 120_000 })
      .catch((e) => {
        console.error(`host: could not open the workbench: ${e.message}`);
        clearTimeout(timer);
        resolveExit(1);
      });
  });
  if (exitCode !== 0) {
    const dir = join(root, '.vscode-test', 'screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'host-failure.png') }).catch(() => undefined);
  }
} finally {
  await browser.close().catch(() => undefined);
  await server.stop();
}
console.log(`host runner: exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);

