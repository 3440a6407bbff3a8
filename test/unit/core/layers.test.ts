// The layers, read from the sources: src/kimi (the client) and src/shared (vscode-free helpers) under
// src/core (the VS Code side every feature shares) under the features, which never import each other.
// And no import cycle anywhere in src/ or webview/. ESLint enforces the same rules while editing.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file (type-only ones included: they couple the layers too), resolved to files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    return found ?? base;
  });
}

const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'webview'))];
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(ROOT, f).split('\\').join('/');

/** 'kimi', 'shared', 'core', 'extension', 'webview' or the feature's folder name. */
function layerOf(file: string): string {
  const parts = rel(file).split('/');
  if (parts[0] === 'webview') return 'webview';
  return parts.length === 2 ? parts[1].replace(/\.ts$/, '') : parts[1];
}

const ALLOWED: Record<string, (to: string, target: string) => boolean> = {
  kimi: (to) => to === 'kimi',
  shared: (to) => to === 'kimi' || to === 'shared',
  core: (to) => ['kimi', 'shared', 'core'].includes(to),
  extension: () => true,
  // The panel shares only the message protocol and plain data with the host.
  webview: (to, target) => to === 'webview' || to === 'shared' || target === 'src/chat/protocol.ts',
};
const feature = (from: string) => (to: string) => ['kimi', 'shared', 'core', from].includes(to);

describe('layers of the source', () => {
  it('has the layers it is checking (the test reads the real tree)', () => {
    const layers = new Set(files.map(layerOf));
    for (const l of ['kimi', 'shared', 'core', 'chat', 'caches', 'editor', 'status', 'account', 'lm', 'webview', 'extension']) assert.ok(layers.has(l), l);
  });

  it('each layer imports only the layers below it, and features never import each other', () => {
    const offences: string[] = [];
    for (const [file, deps] of graph) {
      const from = layerOf(file);
      const allowed = ALLOWED[from] ?? feature(from);
      for (const dep of deps) if (!allowed(layerOf(dep), rel(dep))) offences.push(`${rel(file)} → ${rel(dep)}`);
    }
    assert.deepEqual(offences, []);
  });

  it('no file under src/shared, src/core/ids.ts or src/core/disposable.ts imports vscode', () => {
    const plain = [...sources(join(ROOT, 'src', 'shared')), join(ROOT, 'src', 'core', 'ids.ts'), join(ROOT, 'src', 'core', 'disposable.ts')];
    assert.deepEqual(plain.filter((f) => /from\s+['"]vscode['"]/.test(readFileSync(f, 'utf8'))).map(rel), []);
  });

  it('the import graph has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(rel).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
