// Builds every bundle: the extension (Node, CommonJS), undici as its own lazily required file,
// the chat webview (browser), and the test and bench entry points (Node, packages external).
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// The production build keeps esbuild's metafile (dist/meta.json) so the package step can say what
// takes the space in each bundle.
const common = { bundle: true, sourcemap: !production, minify: production, metafile: production, logLevel: 'warning', target: 'node20' };

// undici stays out of dist/extension.js so activation never parses it; the client imports it on
// its first request, and this plugin points that import at dist/undici.js.
// In the Node bundles, import() of a CommonJS file would go through the ESM loader, which scans all of
// dist/undici.js for exports (tens of ms); as require() it is loaded directly, still on first use.
const lazyRequire = { 'dynamic-import': false };

const shippedUndici = (path) => ({
  name: 'shipped-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path, external: true }));
  },
});

// Code only a user action needs goes into its own file, required on first use: what activation
// parses stays small. Each entry: the import as written in src/ → the file beside dist/extension.js.
const LATER = { './stream-edit': 'editor-stream' };
const loadedLater = {
  name: 'loaded-later',
  setup(build) {
    build.onResolve({ filter: /^\.\/stream-edit$/ }, (args) => (LATER[args.path] ? { path: `./${LATER[args.path]}.js`, external: true } : undefined));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [shippedUndici('./undici.js'), loadedLater],
    supported: lazyRequire,
  },
  {
    ...common,
    entryPoints: { 'editor-stream': 'src/editor/stream-edit.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [shippedUndici('./undici.js')],
    supported: lazyRequire,
  },
  { ...common, entryPoints: { undici: 'undici' }, outdir: 'dist', platform: 'node', format: 'cjs' },
  {
    ...common,
    target: 'es2022',
    entryPoints: { chat: 'webview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    loader: { '.ttf': 'file' },
  },
  {
    ...common,
    entryPoints: ['test/**/*.ts'],
    outbase: '.',
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    minify: false,
    sourcemap: true,
  },
  {
    // Benchmarks measure the client as it ships: with the same single-file undici bundle.
    ...common,
    entryPoints: ['bench/**/*.ts'],
    outbase: '.',
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    plugins: [shippedUndici('../undici.js')],
    supported: lazyRequire,
  },
];

mkdirSync('dist', { recursive: true });
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  if (production) {
    const outputs = Object.assign({}, ...results.map((r) => r.metafile.outputs));
    writeFileSync('dist/meta.json', JSON.stringify({ outputs }));
  }
}
