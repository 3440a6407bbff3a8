// The live model list as VS Code's model picker shows it. No vscode import: the shapes are plain
// data, and unit tests check the mapping in Node.
import { chatParams, type ChatPreferences } from '../kimi/chat-params';
import { modelFacts, type ModelFacts } from '../kimi/model-facts';
import type { Model } from '../kimi/types';

export interface KimiModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  tooltip: string;
  detail?: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { imageInput: boolean; toolCalling: boolean | number };
  /** Kept with the info so a request needs no second list lookup. */
  facts: ModelFacts;
}

/** The API takes at most 128 tools per request. */
export const MAX_TOOLS = 128;

/** "kimi-k2.7-code-highspeed" → "Kimi K2.7 Code Highspeed"; "moonshot-v1-8k" → "Moonshot v1 8K". */
export function readableName(id: string): string {
  return id
    .split('-')
    .map((w) => {
      if (/^k\d/.test(w)) return w.toUpperCase();
      if (/^\d+k$/.test(w)) return w.toUpperCase();
      if (/^v\d/.test(w)) return w;
      return w.charAt(0).toUpperCase() + w.slice(1);
    })
    .join(' ');
}

/**
 * One picker entry per chat model. The output reserve is the max_tokens a request sends (the chat
 * panel's rule), so `maxInputTokens` = window − reserve is exactly what fits next to it.
 */
export function modelInfo(model: Model, prefs: ChatPreferences): KimiModelInfo | undefined {
  const facts = modelFacts(model.id, model);
  if (!facts.chat) return undefined;
  const reserve = chatParams(facts, prefs).max_tokens ?? 0;
  const window = facts.contextWindow;
  const k = Math.round(window / 1024);
  return {
    id: model.id,
    name: readableName(model.id),
    family: facts.family === 'unknown' ? model.id : facts.family,
    version: model.id,
    tooltip: `${model.id} · ${k.toLocaleString('en-US')}K context${facts.thinking !== 'none' ? ' · thinks before answering' : ''}`,
    ...(facts.deprecated ? { detail: 'deprecated' } : {}),
    maxInputTokens: Math.max(1, window - reserve),
    maxOutputTokens: reserve,
    capabilities: { imageInput: facts.vision, toolCalling: facts.toolCalls ? MAX_TOOLS : false },
    facts,
  };
}

export function modelInfos(models: readonly Model[], prefs: ChatPreferences): KimiModelInfo[] {
  const out: KimiModelInfo[] = [];
  for (const m of models) {
    const info = modelInfo(m, prefs);
    if (info) out.push(info);
  }
  return out;
}
