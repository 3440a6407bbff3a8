// The request fields that depend on the model: thinking control, sampling, max_tokens. The API
// answers 400 to a parameter a model does not take (both thinking controls, a temperature other than
// the fixed one, `thinking` to a model without it), so each is sent only where the model takes it.
import type { ModelFacts } from './model-facts';
import type { ChatParams } from './types';

export type ThinkingPreference = 'auto' | 'on' | 'off';
export type ReasoningEffort = 'low' | 'medium' | 'high';

export interface ChatPreferences {
  /** auto: the model's default; on/off: applied only where the model can switch. */
  thinking: ThinkingPreference;
  /** For models controlled by `reasoning_effort` (kimi-k3). */
  reasoningEffort?: ReasoningEffort;
  /** Unset = a per-model default (DEFAULT_MAX_TOKENS_THINKING / DEFAULT_MAX_TOKENS). */
  maxTokens?: number;
  /** Sent only to models without fixed sampling. */
  temperature?: number;
  /** The prompt's size, when known, so max_tokens leaves it room in the context window. */
  promptTokens?: number;
}

/** Reasoning and answer share the output budget; Moonshot's guides use 16k–32k for thinking models. */
export const DEFAULT_MAX_TOKENS_THINKING = 32_768;
export const DEFAULT_MAX_TOKENS = 4096;

export type ModelChatParams = Pick<ChatParams, 'thinking' | 'reasoning_effort' | 'temperature' | 'max_tokens'>;

/** Whether a request with these preferences makes the model reason. */
export function thinksWith(facts: ModelFacts, thinking: ThinkingPreference): boolean {
  if (facts.thinking === 'always') return true;
  // Switchable models think by default (kimi-k2.5, kimi-k2.6).
  return facts.thinking === 'switchable' && thinking !== 'off';
}

export function chatParams(facts: ModelFacts, prefs: ChatPreferences): ModelChatParams {
  const out: ModelChatParams = {};
  if (facts.thinkingControl === 'thinking' && facts.thinking === 'switchable' && prefs.thinking !== 'auto') {
    out.thinking = { type: prefs.thinking === 'on' ? 'enabled' : 'disabled' };
  } else if (facts.thinkingControl === 'reasoning_effort' && prefs.reasoningEffort && prefs.thinking !== 'off') {
    out.reasoning_effort = prefs.reasoningEffort;
  }
  // Anything else (`off` to an always-thinking model, `on` to one that never thinks) sends nothing.
  if (prefs.temperature !== undefined && !facts.fixedSampling) out.temperature = prefs.temperature;
  const wanted = prefs.maxTokens ?? (thinksWith(facts, prefs.thinking) ? DEFAULT_MAX_TOKENS_THINKING : DEFAULT_MAX_TOKENS);
  // prompt + max_tokens must fit the window or the API answers 400 "exceeded model token limit".
  const room = facts.contextWindow - Math.max(0, prefs.promptTokens ?? 0);
  out.max_tokens = Math.max(1, Math.min(Math.floor(wanted), room));
  return out;
}
