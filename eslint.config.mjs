import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers (test/unit/core/layers.test.ts checks the same on the whole tree, and that there is no cycle):
// src/kimi and src/shared know nothing of VS Code or of us; src/core is the VS Code side every feature
// shares; a feature imports those and itself, never another feature (cross-feature calls go through
// commands or KimiService events).
const FEATURES = ['account', 'caches', 'chat', 'editor', 'lm', 'status'];
const folders = (names) => names.flatMap((n) => [`../${n}`, `../${n}/*`]);
const NO_VSCODE = { name: 'vscode', message: 'This layer must stay usable without VS Code.' };
const restrict = (files, paths, group, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: group.length ? [{ group, message }] : [] }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.vscode-test/', 'media/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-undef': 'off',
    },
  },
  // The client must stay usable in plain Node and outside the editor.
  restrict(['src/kimi/**/*.ts'], [NO_VSCODE], folders(['shared', 'core', ...FEATURES]), 'src/kimi imports only src/kimi.'),
  restrict(['src/shared/**/*.ts'], [NO_VSCODE], folders(['core', ...FEATURES]), 'src/shared imports only src/kimi and src/shared.'),
  restrict(['src/core/**/*.ts'], [], [...folders(FEATURES), '../extension'], 'src/core must not depend on a feature.'),
  ...FEATURES.map((f) =>
    restrict([`src/${f}/**/*.ts`], [], folders(FEATURES.filter((o) => o !== f)), 'Features do not import each other: use src/core (commands, KimiService events) or src/shared.'),
  ),
  restrict(['webview/**/*.ts'], [NO_VSCODE], ['../src/*', '!../src/shared', '!../src/chat', '../src/chat/*', '!../src/chat/protocol'], 'The panel shares only src/chat/protocol.ts and src/shared with the host.'),
);
