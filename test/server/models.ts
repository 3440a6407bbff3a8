// The models the test server offers, with the context windows the real platform documents.
import type { Model } from '../../src/kimi/types';

const CREATED = 1709149158;

function model(id: string, contextLength: number, extra: Partial<Model> = {}): Model {
  return {
    id,
    object: 'model',
    created: CREATED,
    owned_by: 'moonshot',
    context_length: contextLength,
    supports_image_in: false,
    supports_video_in: false,
    supports_reasoning: false,
    ...extra,
  };
}

export const MODELS: readonly Model[] = [
  model('moonshot-v1-8k', 8192),
  model('moonshot-v1-32k', 32768),
  model('moonshot-v1-128k', 131072),
  model('moonshot-v1-auto', 131072),
  model('moonshot-v1-8k-vision-preview', 8192, { supports_image_in: true }),
  model('moonshot-v1-32k-vision-preview', 32768, { supports_image_in: true }),
  model('moonshot-v1-128k-vision-preview', 131072, { supports_image_in: true }),
  model('kimi-k2.5', 262144, { supports_image_in: true, supports_video_in: true, supports_reasoning: true }),
  model('kimi-k2-turbo-preview', 262144),
  model('kimi-k2-thinking', 262144, { supports_reasoning: true }),
];

export function findModel(id: unknown): Model | undefined {
  return typeof id === 'string' ? MODELS.find((m) => m.id === id) : undefined;
}

export const modelNotFoundMessage = (id: unknown): string => `Not found the model ${String(id)} or Permission denied`;
