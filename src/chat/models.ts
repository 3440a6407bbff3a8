// The chat's view of models: the picker's list (with each model's traits), the model shown in the
// header, and a clear way out when the configured model is no longer offered (retired, or not
// allowed for this key) instead of a raw 404.
import * as vscode from 'vscode';
import { Commands } from '../core/ids';
import { InvokeError, modelFacts, recommendedModel, type ModelFacts } from '../kimi';
import type { Model } from '../kimi/types';
import { dialogs } from '../core/dialogs';
import type { KimiService } from '../core/service';
import { formatContext } from '../shared/format';
import type { ModelInfo, ModelOption } from './protocol';

/** 404 "Not found the model <id> or Permission denied", the platform's answer for a model this key cannot use. */
export function isModelNotFound(e: unknown): boolean {
  return e instanceof InvokeError && e.status === 404 && /model/i.test(e.message);
}

export function unavailableMessage(model: string): string {
  return vscode.l10n.t('Kimi no longer offers {0} to your key (retired, or not allowed). Select another model to continue.', model);
}

/** "thinking · 256K · standard price": what the picker and the header say about a model. */
export function modelDetail(facts: ModelFacts): string {
  const parts: string[] = [];
  if (facts.thinking === 'always') parts.push(vscode.l10n.t('thinking'));
  else if (facts.thinking === 'switchable') parts.push(vscode.l10n.t('thinking on/off'));
  parts.push(formatContext(facts.contextWindow));
  if (facts.priceTier === 'premium') parts.push(vscode.l10n.t('premium price'));
  if (facts.deprecated) parts.push(vscode.l10n.t('deprecated'));
  return parts.join(' · ');
}

export class ChatModels {
  options: ModelOption[] = [];
  private listed: Model[] | undefined;
  /** Models already announced as unavailable (one notification each per session). */
  private readonly announced = new Set<string>();

  constructor(private readonly kimi: KimiService) {}

  /** Reads the live list (when there is a key); false when it could not be read. */
  async refresh(): Promise<boolean> {
    try {
      // listModels would prompt for a key; without one the picker keeps the configured model only.
      // client() also throws for a plain-http endpoint the user declined (already asked): logged only.
      if (!(await this.kimi.client())) return false;
      this.listed = await this.kimi.listModels();
    } catch (e) {
      this.kimi.log.warn(`Could not list models for the chat: ${this.kimi.describeError(e).message}`);
      return false;
    }
    this.options = this.listed
      .map((m) => ({ m, facts: modelFacts(m.id, m) }))
      .filter(({ facts }) => facts.chat)
      .map(({ m, facts }) => {
        const o: ModelOption = { id: m.id, detail: modelDetail(facts) };
        if (typeof m.context_length === 'number') o.contextLength = m.context_length;
        return o;
      });
    await this.kimi.resolveModel();
    return true;
  }

  /** What the header shows for the model answers use. */
  info(model: string, ownModel: boolean): ModelInfo {
    const listed = this.listed?.find((m) => m.id === model);
    const info: ModelInfo = {
      id: model,
      recommended: !ownModel && !this.kimi.configuredModel() && (!this.listed || recommendedModel(this.listed) === model),
      detail: modelDetail(modelFacts(model, listed)),
    };
    if (this.listed && !listed) info.unavailable = unavailableMessage(model);
    return info;
  }

  /** Says once per model, as a notification with Select Model, that it is not offered any more. */
  announceUnavailable(model: string): void {
    if (this.announced.has(model)) return;
    this.announced.add(model);
    const select = vscode.l10n.t('Select Model');
    void dialogs.warn(unavailableMessage(model), select).then((choice) => {
      if (choice === select) void vscode.commands.executeCommand(Commands.selectModel);
    });
  }
}
