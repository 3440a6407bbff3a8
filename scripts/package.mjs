// `npm run package`: the production bundles and one `<name>-<version>.vsix` in the project root, with
// its sizes against the budgets. Fails when vsce prints a warning or a budget is exceeded.
//   --out FILE   write the .vsix elsewhere (the installed e2e suite packages into a temp dir)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listVsix } from './vsix.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KiB = 1024;
// Budgets from the release issue: what a user downloads, and what the extension host parses at activation.
const VSIX_BUDGET = 512 * KiB;
const ACTIVATION_BUDGET = 150 * KiB;

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const argv = process.argv.slice(2);
const outArg = argv.indexOf('--out');
const out = outArg >= 0 ? resolve(argv[outArg + 1]) : join(root, `${manifest.name}-${manifest.version}.vsix`);

// One .vsix: drop the ones earlier versions left in the root.
for (const name of outArg >= 0 ? [] : readdirSync(root)) {
  if (name.startsWith(`${manifest.name}-`) && name.endsWith('.vsix')) rmSync(join(root, name));
}

// No repository yet: vsce would warn and ask; README links then stay relative (see README, Publishing).
const vsceArgs = ['package', '--no-dependencies', '--out', out];
if (!manifest.repository) vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
const vsce = spawnSync(join(root, 'node_modules/.bin/vsce'), vsceArgs, { cwd: root, encoding: 'utf8' });
const vsceOutput = `${vsce.stdout}${vsce.stderr}`;
process.stdout.write(vsceOutput);
if (vsce.status !== 0) fail(`vsce package failed (exit ${vsce.status})`);
if (/\bWARNING\b/i.test(vsceOutput)) fail('vsce printed a warning (see above)');

const kib = (n) => `${(n / KiB).toFixed(1)} KiB`;
const vsixBytes = statSync(out).size;
const entries = listVsix(out);
const meta = JSON.parse(readFileSync(join(root, 'dist/meta.json'), 'utf8')).outputs;
const extension = meta['dist/extension.js'];
if (!extension) fail('dist/meta.json has no dist/extension.js (was the production build run?)');
// What `main` loads at activation: dist/extension.js. Its only non-builtin require is ./undici.js,
// which the client requires at its first request (bench:activation checks it is not loaded).
const lazy = extension.imports.filter((i) => i.external && i.path.startsWith('./')).map((i) => i.path);

console.log('');
console.log(`package: ${relative(process.cwd(), out) || out}`);
console.log('  files (uncompressed):');
for (const e of entries) console.log(`    ${kib(e.size).padStart(10)}  ${e.path}`);
console.log(`  .vsix: ${kib(vsixBytes)} (budget ${kib(VSIX_BUDGET)})`);
console.log(`  extension host at activation: dist/extension.js ${kib(extension.bytes)} (budget ${kib(ACTIVATION_BUDGET)});`);
console.log(`    loaded later: ${lazy.map((p) => `${p} ${kib(meta[join('dist', p)]?.bytes ?? 0)}`).join(', ') || 'nothing'}`);
console.log('    largest inputs of dist/extension.js:');
const inputs = Object.entries(extension.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
for (const [path, { bytesInOutput }] of inputs.slice(0, 8)) console.log(`    ${kib(bytesInOutput).padStart(10)}  ${path}`);

const over = [];
if (vsixBytes > VSIX_BUDGET) over.push(`.vsix ${kib(vsixBytes)} > ${kib(VSIX_BUDGET)}`);
if (extension.bytes > ACTIVATION_BUDGET) over.push(`activation ${kib(extension.bytes)} > ${kib(ACTIVATION_BUDGET)}`);
if (over.length) fail(`over budget: ${over.join('; ')}`);
console.log('  budgets: met');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}
