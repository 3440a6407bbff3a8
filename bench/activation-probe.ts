// Loaded by bench/activation.ts as the extension host's test module: reports the extension's own
// activation timing (measured inside activate()) and whether the HTTP stack was loaded by then.
import * as vscode from 'vscode';
import type { KimiApi } from '../src/extension';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<KimiApi>('kimi-vscode.kimi-vscode');
  if (!extension) throw new Error('kimi-vscode.kimi-vscode is not loaded');
  const wasActive = extension.isActive;
  const api = await extension.activate();
  if (!api) throw new Error('the extension exported nothing: not in Test mode');
  console.log(`kimi-activation ${JSON.stringify({ ...api.timing, activatedByStartup: wasActive })}`);
}
