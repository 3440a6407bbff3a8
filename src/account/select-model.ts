// Select Model: the models this key can use, with context window, price tier and thinking; the
// current one focused, and "Recommended" to go back to the default.
import * as vscode from 'vscode';
import { modelFacts, PREFERRED_MODELS, recommendedModel, type ModelFacts } from '../kimi';
import type { Model } from '../kimi/types';
import { isQuietError } from '../core/command';
import { dialogs } from '../core/dialogs';
import { withProgress } from '../core/progress';
import type { KimiService } from '../core/service';
import { formatContext } from '../shared/format';

export async function selectModel(kimi: KimiService): Promise<string | undefined> {
  let models: Model[];
  try {
    models = await withProgress(vscode.l10n.t('Loading Kimi models…'), () => kimi.listModels());
  } catch (e) {
    // Without a key the service has already offered Set API Key: one notification, not two.
    if (!isQuietError(e)) kimi.showError(e, vscode.l10n.t('Could not load the model list'), () => selectModel(kimi));
    return undefined;
  }
  const configured = kimi.configuredModel();
  const current = await kimi.resolveModel();
  const recommended = recommendedModel(models);
  type Item = vscode.QuickPickItem & { id: string };
  const item = (m: Model): Item => {
    const facts = modelFacts(m.id, m);
    const marks = [m.id === current ? vscode.l10n.t('current') : '', m.id === recommended ? vscode.l10n.t('recommended') : ''].filter(Boolean);
    return {
      label: m.id === current ? `$(check) ${m.id}` : m.id,
      id: m.id,
      description: [vscode.l10n.t('{0} context', formatContext(facts.contextWindow)), priceLabel(facts.priceTier), ...marks].filter(Boolean).join(' · '),
      detail: capabilities(m, facts),
    };
  };
  // Current models first (the preferred ones in their order), deprecated ones after.
  const rank = (m: Model) => {
    const i = PREFERRED_MODELS.indexOf(m.id);
    return i >= 0 ? i : modelFacts(m.id, m).deprecated ? 1000 : 100;
  };
  const items: Item[] = [...models].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id)).map(item);
  if (recommended) {
    items.unshift({
      label: configured ? vscode.l10n.t('Recommended ({0})', recommended) : vscode.l10n.t('$(check) Recommended ({0})', recommended),
      id: '',
      description: vscode.l10n.t('follows the recommended available model (kimi.model empty)'),
    });
  }
  if (configured && !models.some((m) => m.id === configured)) {
    items.unshift({ label: `$(warning) ${configured}`, id: configured, description: vscode.l10n.t('not offered any more: choose another model') });
  }
  const picked = await dialogs.pick(items, {
    title: vscode.l10n.t('Kimi: Select Model'),
    placeHolder: vscode.l10n.t('Current: {0}', current),
    matchOnDescription: true,
    // The current choice (a model, or "Recommended" while kimi.model is empty) is focused: Enter keeps it.
    active: items.find((i) => i.id === configured),
  });
  if (!picked) return undefined;
  if (picked.id !== configured) await kimi.setModel(picked.id);
  return picked.id || recommended;
}

/** premium ≈ 3× the per-token price of standard (the platform's 2026 price list). */
function priceLabel(tier: ModelFacts['priceTier']): string {
  if (tier === 'premium') return vscode.l10n.t('premium price');
  if (tier === 'standard') return vscode.l10n.t('standard price');
  if (tier === 'legacy') return vscode.l10n.t('deprecated');
  return '';
}

function capabilities(m: Model, facts: ModelFacts): string {
  const parts: string[] = [];
  if (facts.thinking === 'always') parts.push(vscode.l10n.t('always thinks'));
  else if (facts.thinking === 'switchable') parts.push(vscode.l10n.t('thinking on/off (kimi.thinking)'));
  else if (m.supports_reasoning) parts.push(vscode.l10n.t('reasoning'));
  if (m.supports_image_in) parts.push(vscode.l10n.t('images'));
  if (m.supports_video_in) parts.push(vscode.l10n.t('video'));
  if (m.id.startsWith('moonshot-v1')) parts.push(vscode.l10n.t('context caches'));
  return parts.join(' · ');
}

