// Commands about the key and settings: Set/Clear API Key, Select Model, Show Log.
import * as vscode from 'vscode';
import { registerCommand } from '../core/command';
import { Commands } from '../core/ids';
import type { KimiService } from '../core/service';
import { selectModel } from './select-model';
import { clearApiKey, setApiKey } from './set-key';

export function registerAccountCommands(context: vscode.ExtensionContext, kimi: KimiService): void {
  const what = vscode.l10n.t('Kimi');
  context.subscriptions.push(
    // VS Code runs it as the language-model provider's management command with the vendor id ('kimi') as argument: not a key.
    registerCommand(Commands.setApiKey, (key?: unknown) => setApiKey(kimi, typeof key === 'string' && key !== 'kimi' ? key : undefined), kimi, what),
    registerCommand(Commands.clearApiKey, () => clearApiKey(kimi), kimi, what),
    registerCommand(Commands.selectModel, () => selectModel(kimi), kimi, what),
    registerCommand(Commands.showLog, () => kimi.log.show(), kimi, what),
  );
}

