// Registers Kimi as a language-model chat provider where the running VS Code has the API (1.104+).
// On older VS Code and forks on older bases nothing is registered and every other feature works.
import * as vscode from 'vscode';
import type { KimiService } from '../core/service';
import { KimiChatProvider } from './provider';

export const LM_VENDOR = 'kimi';

export function registerLanguageModels(context: vscode.ExtensionContext, kimi: KimiService): KimiChatProvider | undefined {
  // The API is declared in ./vscode-lm.d.ts as possibly missing; check it at runtime.
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') {
    kimi.log.info(`This VS Code (${vscode.version}) has no language-model provider API (1.104+): Kimi is not offered in VS Code's Chat.`);
    return undefined;
  }
  const provider = new KimiChatProvider(kimi);
  context.subscriptions.push(provider);
  try {
    context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
  } catch (e) {
    // E.g. a host that knows the API but not the manifest contribution.
    kimi.log.warn(`Kimi could not register with VS Code's Chat: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  return provider;
}
