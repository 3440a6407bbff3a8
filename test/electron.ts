// Runs the host suite (test/host/index.ts) in desktop VS Code through @vscode/test-electron, for
// machines with VS Code desktop or internet: `npm run build && npm run test:electron`.
// It downloads VS Code unless VSCODE_EXECUTABLE names an installed `code` binary.
import { runTests } from '@vscode/test-electron';
import { resolve } from 'node:path';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: resolve(root, 'dist/test/host/index.js'),
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (err) {
    console.error(`host (electron): ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

void main();
