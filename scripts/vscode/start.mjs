// Opens this extension in a real VS Code (called by scripts/start.sh after install and build):
//  --web      (default without a `code` binary) the VS Code server from code-server on 127.0.0.1, with a
//             persistent profile in .vscode-test/start/; prints the URL to open in a browser.
//  --desktop  (default with `code` on PATH) the desktop Extension Development Host.
// Without MOONSHOT_API_KEY it starts the project's test server and points the extension at it.
// Other options: --port N (web; default: a free port), --folder PATH (default: this checkout).
// The web mode runs VS Code as people use it (no test driver, so notifications show as toasts) and
// loads the extension as an installed one: this checkout is linked into the profile's extensions folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietSettings, startVSCodeServer, workbenchUrl } from './server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const hasCode = spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
const mode = argv.includes('--web') ? 'web' : argv.includes('--desktop') ? 'desktop' : hasCode ? 'desktop' : 'web';
const folder = resolve(opt('folder') ?? root);
const stateDir = join(root, '.vscode-test', 'start');
const cleanups = [];

async function shutdown(code) {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  process.exit(code);
}
process.once('SIGINT', () => shutdown(0));
process.once('SIGTERM', () => shutdown(0));

// The test server from test/server, started as its own process (`npm run mock`).
async function startTestServer() {
  const cli = join(root, 'dist/test/server/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (node esbuild.mjs)`);
  const child = spawn(process.execPath, [cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(async () => child.kill('SIGTERM'));
  let text = '';
  const found = await new Promise((resolveFound, reject) => {
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
      const key = /API key: (\S+)/.exec(text)?.[1];
      if (url && key) resolveFound({ url, key });
    });
    child.once('exit', (code) => reject(new Error(`the test server exited (${code}):\n${text}`)));
  });
  return found;
}

// Links this checkout into an extensions folder as the installed `<publisher>.<name>-<version>` and
// lists it in the folder's extensions.json (which VS Code reads instead of scanning the folder).
function linkCheckout(extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folderName = `${id}-${manifest.version}`;
  const link = join(extensionsDir, folderName);
  mkdirSync(extensionsDir, { recursive: true });
  const isOurLink = (() => {
    try {
      return lstatSync(link).isSymbolicLink() && resolve(extensionsDir, readlinkSync(link)) === root;
    } catch {
      return false;
    }
  })();
  if (!isOurLink) {
    rmSync(link, { recursive: true, force: true });
    symlinkSync(root, link, 'dir');
  }
  const listFile = join(extensionsDir, 'extensions.json');
  let list = [];
  try {
    list = JSON.parse(readFileSync(listFile, 'utf8'));
  } catch {
    // none yet
  }
  list = list.filter((e) => e?.identifier?.id?.toLowerCase() !== id.toLowerCase());
  list.push({
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: link, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  writeFileSync(listFile, JSON.stringify(list));
  // Other versions' links from earlier starts would load the extension twice.
  for (const e of list) if (e.relativeLocation !== folderName && e.identifier.id === id) rmSync(join(extensionsDir, e.relativeLocation), { force: true });
}

// The endpoint the extension will use, from the same settings it reads (user settings; kimi.baseUrl wins).
function endpointIn(settingsFile, given) {
  const current = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  const all = { ...current, ...given };
  if (all['kimi.baseUrl']) return all['kimi.baseUrl'];
  return all['kimi.region'] === 'international' ? 'https://api.moonshot.ai/v1' : 'https://api.moonshot.cn/v1';
}

let settings = {};
let env = {};
const profileSettings =
  mode === 'desktop' ? join(stateDir, 'desktop-user-data', 'User', 'settings.json') : join(stateDir, 'profile', 'User', 'settings.json');
if (process.env.MOONSHOT_API_KEY) {
  // Forget a test-server URL an earlier keyless start left in the profile (a URL the user set stays).
  const current = existsSync(profileSettings) ? JSON.parse(readFileSync(profileSettings, 'utf8')) : {};
  if (/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(current['kimi.baseUrl'] ?? '')) settings = { 'kimi.baseUrl': undefined };
  console.log(`MOONSHOT_API_KEY is set: the extension uses it with ${endpointIn(profileSettings, settings)}`);
  console.log(`  (kimi.baseUrl or kimi.region in ${profileSettings} choose another endpoint)`);
} else {
  const mock = await startTestServer();
  settings = { 'kimi.baseUrl': mock.url };
  env = { MOONSHOT_API_KEY: mock.key };
  console.log('');
  console.log('No MOONSHOT_API_KEY in the environment, so this starts the project\'s TEST SERVER, not Moonshot:');
  console.log(`  test server: ${mock.url}   key: ${mock.key}`);
  console.log('  answers are canned (start a message with "echo:" to get it back verbatim).');
  console.log('  For the real API: MOONSHOT_API_KEY=sk-... bash scripts/start.sh');
}

if (mode === 'desktop') {
  // Desktop VS Code: a separate user-data dir, so the dev host does not touch the user's own setup.
  const userData = dirname(dirname(profileSettings));
  mkdirSync(dirname(profileSettings), { recursive: true });
  const current = existsSync(profileSettings) ? JSON.parse(readFileSync(profileSettings, 'utf8')) : {};
  writeFileSync(profileSettings, JSON.stringify({ ...quietSettings, ...current, ...settings }, null, 2) + '\n');
  console.log(`Opening the Extension Development Host (desktop VS Code) on ${folder} …`);
  const code = spawn(
    'code',
    ['--wait', '--new-window', `--extensionDevelopmentPath=${root}`, `--user-data-dir=${userData}`, folder],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  code.once('exit', (c) => shutdown(c ?? 0));
} else {
  const port = Number(opt('port') ?? 0);
  const profileDir = join(stateDir, 'profile');
  linkCheckout(join(profileDir, 'extensions'));
  const server = await startVSCodeServer({
    root,
    port,
    profileDir,
    workspace: folder,
    settings,
    env,
    testDriver: false,
  });
  cleanups.push(() => server.stop());
  console.log('');
  console.log(`VS Code (code-server ${server.authority}) is running with the Kimi extension installed from ${root}`);
  console.log('(linked into the profile\'s extensions; after a rebuild, reload the window). Open in a browser on this machine:');
  console.log('');
  console.log(`  ${workbenchUrl(server, { folder })}`);
  console.log('');
  console.log('Ctrl+C stops it. Settings and chats persist in .vscode-test/start/profile.');
}
