// Activation benchmark: starts a real VS Code extension host several times (fresh server and
// profile each run, through scripts/vscode/run-host-tests.mjs) and prints the time the extension's
// activate() takes, the host's gap between loading the module and calling activate(), the bundle size, and that undici is not loaded.
//   node dist/bench/activation.js [--runs 5]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Timing {
  moduleMs: number;
  phases: Record<string, number>;
  activateMs: number;
  httpStackLoadedAtActivation: boolean;
  activatedByStartup: boolean;
}

const root = resolve(__dirname, '../..');
const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 5;
const timings: Timing[] = [];
for (let run = 1; run <= runs; run++) {
  const result = spawnSync(process.execPath, [join(root, 'scripts/vscode/run-host-tests.mjs'), '--tests', join(root, 'dist/bench/activation-probe.js'), '--timeout', '180'], {
    cwd: root,
    encoding: 'utf8',
  });
  const line = /kimi-activation (\{.*\})/.exec(result.stdout ?? '');
  if (result.status !== 0 || !line) {
    console.error(`run ${run} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
  timings.push(JSON.parse(line[1]) as Timing);
  console.log(`  run ${run}: activate() ${timings.at(-1)!.activateMs.toFixed(1)} ms, host's gap from module load to activate() ${timings.at(-1)!.moduleMs.toFixed(1)} ms`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const activate = timings.map((t) => t.activateMs);
const modules = timings.map((t) => t.moduleMs);
const kb = (file: string) => `${(statSync(join(root, file)).size / 1024).toFixed(0)} KiB`;
console.log('bench/activation: Kimi extension activation in a real VS Code extension host (code-server)');
console.log(`  runs                           ${runs}`);
console.log(`  activate() median              ${median(activate).toFixed(1)} ms (min ${Math.min(...activate).toFixed(1)}, max ${Math.max(...activate).toFixed(1)})`);
console.log(`  host gap load → activate()     ${median(modules).toFixed(1)} ms median (the host's own scheduling, not the extension's work)`);
console.log('  activate() by phase (median):');
for (const name of Object.keys(timings[0]!.phases)) {
  console.log(`    ${`${name}`.padEnd(29)}${median(timings.map((t) => t.phases[name] ?? 0)).toFixed(1)} ms`);
}
console.log(`  undici loaded at activation    ${timings.some((t) => t.httpStackLoadedAtActivation) ? 'YES (regression)' : 'no'}`);
console.log(`  network requests at activation none (activate() only reads settings and secret storage)`);
console.log(`  dist/extension.js              ${kb('dist/extension.js')} (undici kept apart: dist/undici.js ${kb('dist/undici.js')})`);
