// The models the test server offers (the 2026 lineup first, then the deprecated ones), with the
// context windows the platform documents and each model's request rules. Deliberately its own table,
// not the client's (src/kimi/model-facts.ts): the server checks the client, so it must not share its beliefs.
import type { Model } from '../../src/kimi/types';
import type { ServerState } from './state';

const CREATED = 1709149158;

export interface ModelRules {
  /** always: reasons on every request; switchable: by default, `thinking:{type:"disabled"}` turns it off. */
  thinking: 'always' | 'switchable' | 'none';
  /** The field that controls thinking; `thinking-enabled-only` takes `thinking` but refuses "disabled". */
  control: 'thinking' | 'thinking-enabled-only' | 'reasoning_effort' | 'none';
  /** Sampling is fixed: temperature 1 while thinking, 0.6 otherwise; top_p 1; penalties 0; n 1. */
  fixedSampling: boolean;
  /** Every earlier assistant message must carry its reasoning_content. */
  preserved: boolean;
  toolChoiceRequired: boolean;
  /** Listed by the current platform (the rest are deprecated and may be retired). */
  current: boolean;
  /** The estimate endpoint does not know it (kimi-k3 is missing from its May-2026 enum). */
  noEstimate?: boolean;
}

export interface ServerModel {
  model: Model;
  rules: ModelRules;
}

const legacyPlain: ModelRules = { thinking: 'none', control: 'none', fixedSampling: false, preserved: false, toolChoiceRequired: false, current: false };

function entry(id: string, contextLength: number, rules: ModelRules, extra: Partial<Model> = {}): ServerModel {
  return {
    model: {
      id,
      object: 'model',
      created: CREATED,
      owned_by: 'moonshot',
      context_length: contextLength,
      supports_image_in: false,
      supports_video_in: false,
      supports_reasoning: rules.thinking !== 'none',
      ...extra,
    },
    rules,
  };
}

const thinkingAlways = { thinking: 'always', fixedSampling: true, toolChoiceRequired: false } as const;

export const SERVER_MODELS: readonly ServerModel[] = [
  entry('kimi-k3', 1_048_576, { ...thinkingAlways, control: 'reasoning_effort', preserved: true, toolChoiceRequired: true, current: true, noEstimate: true },
    { supports_image_in: true }),
  entry('kimi-k2.7-code', 262_144, { ...thinkingAlways, control: 'thinking-enabled-only', preserved: true, current: true }),
  entry('kimi-k2.7-code-highspeed', 262_144, { ...thinkingAlways, control: 'thinking-enabled-only', preserved: true, current: true }),
  entry('kimi-k2.6', 262_144, { thinking: 'switchable', control: 'thinking', fixedSampling: true, preserved: false, toolChoiceRequired: false, current: true },
    { supports_image_in: true, supports_video_in: true }),
  entry('kimi-k2.5', 262_144, { thinking: 'switchable', control: 'thinking', fixedSampling: true, preserved: false, toolChoiceRequired: false, current: false },
    { supports_image_in: true, supports_video_in: true }),
  entry('kimi-k2-thinking', 262_144, { ...thinkingAlways, control: 'none', preserved: false, current: false }),
  entry('kimi-k2-thinking-turbo', 262_144, { ...thinkingAlways, control: 'none', preserved: false, current: false }),
  entry('kimi-k2-turbo-preview', 262_144, legacyPlain),
  entry('kimi-k2-0905-preview', 262_144, legacyPlain),
  entry('kimi-latest', 131_072, legacyPlain, { supports_image_in: true }),
  entry('moonshot-v1-8k', 8192, legacyPlain),
  entry('moonshot-v1-32k', 32768, legacyPlain),
  entry('moonshot-v1-128k', 131072, legacyPlain),
  entry('moonshot-v1-auto', 131072, legacyPlain),
  entry('moonshot-v1-8k-vision-preview', 8192, legacyPlain, { supports_image_in: true }),
  entry('moonshot-v1-32k-vision-preview', 32768, legacyPlain, { supports_image_in: true }),
  entry('moonshot-v1-128k-vision-preview', 131072, legacyPlain, { supports_image_in: true }),
];

/** Every model the server knows, as `GET /v1/models` shows them. */
export const MODELS: readonly Model[] = SERVER_MODELS.map((m) => m.model);

/** The models listed now: only the current ones while the server plays "older ids retired". */
export function listedModels(state: ServerState): ServerModel[] {
  return SERVER_MODELS.filter((m) => m.rules.current || !state.currentModelsOnly);
}

/** A listed model, or undefined (the routes answer 404 "Not found the model … or Permission denied"). */
export function findServerModel(state: ServerState, id: unknown): ServerModel | undefined {
  return typeof id === 'string' ? listedModels(state).find((m) => m.model.id === id) : undefined;
}

export function findModel(state: ServerState, id: unknown): Model | undefined {
  return findServerModel(state, id)?.model;
}

export const modelNotFoundMessage = (id: unknown): string => `Not found the model ${String(id)} or Permission denied`;
