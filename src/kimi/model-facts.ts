// What the client knows about each Kimi model: one table of known families (the platform's 2026
// lineup), with the live `GET /v1/models` fields merged over it.
// Unknown future models get the safe defaults: no sampling parameters, reasoning kept and replayed.
import type { Model } from './types';

/** always: the model always reasons; switchable: on by default, can be turned off; none: never. */
export type ThinkingMode = 'always' | 'switchable' | 'none';
/** The request field that controls thinking: `thinking: {type}` or top-level `reasoning_effort`. */
export type ThinkingControl = 'thinking' | 'reasoning_effort' | 'none';
/** premium ≈ 3× the per-token price of standard (kimi-k3 vs kimi-k2.x); legacy = deprecated models. */
export type PriceTier = 'premium' | 'standard' | 'legacy';

export interface ModelFacts {
  id: string;
  /** The family row the id matched, e.g. 'kimi-k3'; 'unknown' when none did. */
  family: string;
  /** False for ids outside the table (a model newer than this client). */
  known: boolean;
  thinking: ThinkingMode;
  thinkingControl: ThinkingControl;
  /** Never send temperature / top_p / penalties: the model accepts only its fixed values. */
  fixedSampling: boolean;
  /** Every assistant message must carry its reasoning_content back, as returned. */
  preservedThinking: boolean;
  toolCalls: boolean;
  /** `tool_choice: "required"` is accepted. */
  toolChoiceRequired: boolean;
  /** `/v1/caching` explicit context caches. */
  explicitCaches: boolean;
  contextWindow: number;
  vision: boolean;
  priceTier?: PriceTier;
  deprecated: boolean;
  /** False for ids that are recognisably not chat models (embeddings, speech, …). */
  chat: boolean;
}

type Row = Omit<ModelFacts, 'id' | 'known' | 'chat'> & { match: RegExp };

const current = { deprecated: false, explicitCaches: false, toolCalls: true, toolChoiceRequired: false, vision: false };
const legacy = { ...current, deprecated: true, priceTier: 'legacy' as const };
const plain = { thinking: 'none' as const, thinkingControl: 'none' as const, fixedSampling: false, preservedThinking: false };

// First match wins: more specific ids come first.
const FAMILIES: readonly Row[] = [
  { match: /^kimi-k3(\b|[-.])/, family: 'kimi-k3', ...current, thinking: 'always', thinkingControl: 'reasoning_effort',
    fixedSampling: true, preservedThinking: true, toolChoiceRequired: true, contextWindow: 1_048_576, priceTier: 'premium' },
  // "highspeed" is a faster tier of the same model; its price is not in the docs.
  { match: /^kimi-k2\.7-code-highspeed/, family: 'kimi-k2.7-code-highspeed', ...current, thinking: 'always', thinkingControl: 'none',
    fixedSampling: true, preservedThinking: true, contextWindow: 262_144 },
  { match: /^kimi-k2\.7/, family: 'kimi-k2.7-code', ...current, thinking: 'always', thinkingControl: 'none',
    fixedSampling: true, preservedThinking: true, contextWindow: 262_144, priceTier: 'standard' },
  // Preserved thinking only with thinking.keep:"all", which the client does not ask for.
  { match: /^kimi-k2\.6/, family: 'kimi-k2.6', ...current, thinking: 'switchable', thinkingControl: 'thinking',
    fixedSampling: true, preservedThinking: false, contextWindow: 262_144, vision: true, priceTier: 'standard' },
  { match: /^kimi-k2\.5/, family: 'kimi-k2.5', ...legacy, thinking: 'switchable', thinkingControl: 'thinking',
    fixedSampling: true, preservedThinking: false, contextWindow: 262_144, vision: true },
  { match: /^kimi-k2-thinking/, family: 'kimi-k2-thinking', ...legacy, thinking: 'always', thinkingControl: 'none',
    fixedSampling: true, preservedThinking: false, contextWindow: 262_144 },
  { match: /^kimi-thinking-preview/, family: 'kimi-thinking-preview', ...legacy, thinking: 'always', thinkingControl: 'none',
    fixedSampling: true, preservedThinking: false, toolCalls: false, contextWindow: 131_072 },
  { match: /^kimi-k2-0711/, family: 'kimi-k2', ...legacy, ...plain, contextWindow: 131_072 },
  { match: /^kimi-k2/, family: 'kimi-k2', ...legacy, ...plain, contextWindow: 262_144 },
  { match: /^kimi-latest/, family: 'kimi-latest', ...legacy, ...plain, contextWindow: 131_072, vision: true },
  { match: /^moonshot-v1-.*vision/, family: 'moonshot-v1-vision', ...legacy, ...plain, explicitCaches: true, contextWindow: 8192, vision: true },
  { match: /^moonshot-v1/, family: 'moonshot-v1', ...legacy, ...plain, explicitCaches: true, contextWindow: 8192 },
];

/** Ids no chat request should go to (none are listed by Moonshot today; OpenAI-style servers list them). */
const NOT_CHAT = /embed|whisper|tts|speech|audio|moderation|rerank|dall-e|image-gen/i;

/** moonshot-v1-32k → 32,768; moonshot-v1-auto routes up to 128k. */
function moonshotWindow(id: string): number | undefined {
  if (/^moonshot-v1-auto/.test(id)) return 131_072;
  const k = /^moonshot-v1-(\d+)k/.exec(id);
  return k ? Number(k[1]) * 1024 : undefined;
}

/** The facts for a model id, with the live list entry's fields (when given) over the table's. */
export function modelFacts(id: string, listed?: Model): ModelFacts {
  const row = FAMILIES.find((r) => r.match.test(id));
  let facts: ModelFacts;
  if (row) {
    const { match: _match, ...rest } = row;
    facts = { ...rest, id, known: true, chat: true };
    if (row.family.startsWith('moonshot-v1')) facts.contextWindow = moonshotWindow(id) ?? facts.contextWindow;
  } else {
    // A model newer than this table: assume the strictest current rules (see the module comment).
    facts = {
      id, family: 'unknown', known: false, chat: !NOT_CHAT.test(id),
      thinking: 'none', thinkingControl: 'none', fixedSampling: true, preservedThinking: true,
      toolCalls: true, toolChoiceRequired: false, explicitCaches: false, contextWindow: 131_072,
      vision: false, deprecated: false,
    };
  }
  if (listed) {
    if (typeof listed.context_length === 'number' && listed.context_length > 0) facts.contextWindow = listed.context_length;
    if (typeof listed.supports_image_in === 'boolean') facts.vision = listed.supports_image_in;
    if (listed.supports_reasoning === true && facts.thinking === 'none') {
      // Listed as reasoning but not known to: it may reason; the control parameter is unknown, so none is sent.
      facts.thinking = 'always';
      facts.fixedSampling = true;
    }
  }
  return facts;
}

/** Value for an editor first: kimi-k3 costs about three times as much per token as kimi-k2.x. */
export const PREFERRED_MODELS: readonly string[] = ['kimi-k2.7-code', 'kimi-k2.6', 'kimi-k3'];

/**
 * The first preferred model the server lists, else the first listed chat model (a current one before
 * a deprecated one), else undefined.
 */
export function recommendedModel(models: readonly Model[]): string | undefined {
  for (const id of PREFERRED_MODELS) if (models.some((m) => m.id === id)) return id;
  const chat = models.map((m) => modelFacts(m.id, m)).filter((f) => f.chat);
  return (chat.find((f) => !f.deprecated) ?? chat[0])?.id;
}
