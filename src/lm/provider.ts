// Kimi as a language-model chat provider (vendor "kimi"): VS Code's Chat view, agent mode and other
// extensions (vscode.lm) use the key, client and model rules the chat panel uses.
import * as vscode from 'vscode';
import { Commands } from '../core/ids';
import { Disposable } from '../core/disposable';
import type { KimiService } from '../core/service';
import { modelFacts } from '../kimi/model-facts';
import type { ChatPreferences } from '../kimi/chat-params';
import { languageModelError } from './errors';
import { countableText, type ClassifyPart } from './messages';
import { modelInfos, type KimiModelInfo } from './models';
import { ReasoningStore } from './reasoning';
import { streamAnswer } from './answer';
import { TokenCounts } from './tokens';

/** Parts by their VS Code class; the data part class exists from VS Code 1.105 on. */
export const classifyPart: ClassifyPart = (p) => {
  if (p instanceof vscode.LanguageModelTextPart) return 'text';
  if (p instanceof vscode.LanguageModelToolCallPart) return 'toolCall';
  if (p instanceof vscode.LanguageModelToolResultPart) return 'toolResult';
  const DataPart = (vscode as { LanguageModelDataPart?: new (...args: never[]) => unknown }).LanguageModelDataPart;
  if (DataPart && p instanceof DataPart) return 'data';
  return 'other';
};

export class KimiChatProvider extends Disposable implements vscode.LanguageModelChatProvider<KimiModelInfo> {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this.#changed.event;
  readonly reasoning = new ReasoningStore();
  readonly tokens: TokenCounts;
  readonly #fallbackLogged = new Set<string>();

  constructor(private readonly kimi: KimiService) {
    super();
    this.tokens = new TokenCounts(
      async (model, messages, signal) => (await kimi.requireClientQuietly()).countTokens(model, messages, { signal }),
      (model, e) => {
        if (this.#fallbackLogged.has(model)) return;
        this.#fallbackLogged.add(model);
        kimi.log.info(`Token counts for ${model} are estimated locally: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
    this.register(
      kimi.onDidChangeAccount(() => {
        this.tokens.clear();
        this.#fallbackLogged.clear();
        this.#changed.fire();
      }),
    );
    // The output reserve (and so maxInputTokens) follows the answer-length setting.
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kimi.maxTokens') || e.affectsConfiguration('kimi.thinking')) this.#changed.fire();
      }),
    );
  }

  /** The chat panel's preferences, so both send the same thinking and sampling parameters. */
  preferences(): ChatPreferences {
    // Read like the panel reads them; thinking and reasoningEffort are settings the panel adds.
    const s = this.kimi.settings() as ReturnType<KimiService['settings']> & Partial<Pick<ChatPreferences, 'thinking' | 'reasoningEffort' | 'maxTokens'>>;
    return {
      thinking: s.thinking ?? 'auto',
      ...(s.reasoningEffort ? { reasoningEffort: s.reasoningEffort } : {}),
      ...(s.maxTokens !== undefined ? { maxTokens: s.maxTokens } : {}),
      ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    };
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, _token: vscode.CancellationToken): Promise<KimiModelInfo[]> {
    if (!(await this.kimi.hasApiKey())) {
      if (options.silent) return [];
      // The user asked (Manage Models → Kimi): offer to set the key now.
      await vscode.commands.executeCommand(Commands.setApiKey);
      if (!(await this.kimi.hasApiKey())) return [];
    }
    try {
      return modelInfos(await this.kimi.listModels(), this.preferences());
    } catch (e) {
      if (!options.silent) this.kimi.showError(e, vscode.l10n.t('Could not list the Kimi models'));
      else this.kimi.log.warn(`Kimi models for VS Code's Chat: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  async provideLanguageModelChatResponse(
    model: KimiModelInfo,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    try {
      const client = await this.kimi.requireClientQuietly();
      await streamAnswer({
        client,
        model: model.id,
        facts: model.facts ?? modelFacts(model.id),
        preferences: this.preferences(),
        messages,
        tools: options.tools ?? [],
        toolRequired: options.toolMode === vscode.LanguageModelChatToolMode.Required,
        classify: classifyPart,
        reasoning: this.reasoning,
        token,
        onText: (text) => progress.report(new vscode.LanguageModelTextPart(text)),
        onToolCall: (callId, name, input) => progress.report(new vscode.LanguageModelToolCallPart(callId, name, input)),
        countPrompt: (msgs, signal) => client.countTokens(model.id, msgs, { signal }),
        log: this.kimi.log,
      });
    } catch (e) {
      if (token.isCancellationRequested) return;
      throw languageModelError(e);
    }
  }

  async provideTokenCount(model: KimiModelInfo, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await this.tokens.tokens(model.id, countableText(text, classifyPart), controller.signal);
    } finally {
      sub.dispose();
    }
  }
}
