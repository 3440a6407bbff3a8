// Model facts, the recommended model and the model-dependent request fields (pure functions).
import * as assert from 'node:assert/strict';
import {
  chatParams,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_TOKENS_THINKING,
  modelFacts,
  recommendedModel,
  type Model,
} from '../../../src/kimi';

const listed = (id: string, extra: Partial<Model> = {}): Model => ({ id, object: 'model', ...extra });

describe('model facts', () => {
  it('knows the 2026 lineup', () => {
    const k3 = modelFacts('kimi-k3');
    assert.equal(k3.thinking, 'always');
    assert.equal(k3.thinkingControl, 'reasoning_effort');
    assert.equal(k3.preservedThinking, true);
    assert.equal(k3.toolChoiceRequired, true);
    assert.equal(k3.contextWindow, 1_048_576);
    assert.equal(k3.priceTier, 'premium');
    assert.equal(k3.deprecated, false);
    for (const id of ['kimi-k2.7-code', 'kimi-k2.7-code-highspeed']) {
      const f = modelFacts(id);
      assert.equal(f.thinking, 'always', id);
      assert.equal(f.thinkingControl, 'none', id);
      assert.equal(f.preservedThinking, true, id);
      assert.equal(f.fixedSampling, true, id);
      assert.equal(f.toolChoiceRequired, false, id);
      assert.equal(f.contextWindow, 262_144, id);
    }
    assert.equal(modelFacts('kimi-k2.7-code').priceTier, 'standard');
    assert.equal(modelFacts('kimi-k2.7-code-highspeed').family, 'kimi-k2.7-code-highspeed');
    const k26 = modelFacts('kimi-k2.6');
    assert.deepEqual([k26.thinking, k26.thinkingControl, k26.preservedThinking, k26.deprecated], ['switchable', 'thinking', false, false]);
  });

  it('marks the older families deprecated, with their own rules', () => {
    const k25 = modelFacts('kimi-k2.5');
    assert.deepEqual([k25.thinking, k25.thinkingControl, k25.deprecated, k25.priceTier], ['switchable', 'thinking', true, 'legacy']);
    const thinking = modelFacts('kimi-k2-thinking-turbo');
    assert.deepEqual([thinking.family, thinking.thinking, thinking.thinkingControl, thinking.fixedSampling], ['kimi-k2-thinking', 'always', 'none', true]);
    const turbo = modelFacts('kimi-k2-turbo-preview');
    assert.deepEqual([turbo.family, turbo.thinking, turbo.fixedSampling, turbo.deprecated], ['kimi-k2', 'none', false, true]);
    assert.equal(modelFacts('kimi-latest').vision, true);
    for (const [id, window] of [['moonshot-v1-8k', 8192], ['moonshot-v1-32k', 32768], ['moonshot-v1-128k', 131072],
      ['moonshot-v1-auto', 131072], ['moonshot-v1-32k-vision-preview', 32768]] as const) {
      const f = modelFacts(id);
      assert.equal(f.contextWindow, window, id);
      assert.equal(f.explicitCaches, true, id);
      assert.equal(f.thinking, 'none', id);
    }
    assert.equal(modelFacts('moonshot-v1-8k-vision-preview').vision, true);
    assert.equal(modelFacts('kimi-k3').explicitCaches, false);
  });

  it('merges the live list over the table', () => {
    const f = modelFacts('kimi-k2.6', listed('kimi-k2.6', { context_length: 300_000, supports_image_in: false }));
    assert.equal(f.contextWindow, 300_000);
    assert.equal(f.vision, false);
    assert.equal(modelFacts('kimi-k2.6').contextWindow, 262_144);
  });

  it('gives an unknown model the safe behaviour', () => {
    const f = modelFacts('kimi-k4-preview');
    assert.equal(f.known, false);
    assert.equal(f.fixedSampling, true);
    assert.equal(f.preservedThinking, true);
    assert.equal(f.thinking, 'none');
    const reasoning = modelFacts('kimi-k4-preview', listed('kimi-k4-preview', { supports_reasoning: true, context_length: 2_000_000 }));
    assert.equal(reasoning.thinking, 'always');
    assert.equal(reasoning.thinkingControl, 'none');
    assert.equal(reasoning.contextWindow, 2_000_000);
    assert.deepEqual(chatParams(reasoning, { thinking: 'off', temperature: 0.2, reasoningEffort: 'low' }), { max_tokens: DEFAULT_MAX_TOKENS_THINKING });
  });

  it('recommends value for an editor first, then the first listed chat model', () => {
    const all = ['kimi-k3', 'kimi-k2.6', 'kimi-k2.7-code', 'moonshot-v1-8k'].map((id) => listed(id));
    assert.equal(recommendedModel(all), 'kimi-k2.7-code');
    assert.equal(recommendedModel(all.filter((m) => m.id !== 'kimi-k2.7-code')), 'kimi-k2.6');
    assert.equal(recommendedModel([listed('moonshot-v1-8k'), listed('kimi-k3')]), 'kimi-k3');
    assert.equal(recommendedModel([listed('text-embedding-x'), listed('moonshot-v1-8k'), listed('kimi-k9')]), 'kimi-k9');
    assert.equal(recommendedModel([listed('text-embedding-x'), listed('moonshot-v1-8k')]), 'moonshot-v1-8k');
    assert.equal(recommendedModel([listed('text-embedding-x')]), undefined);
    assert.equal(recommendedModel([]), undefined);
  });
});

describe('chatParams', () => {
  it('sends thinking only to switchable models, and never with reasoning_effort', () => {
    const k26 = modelFacts('kimi-k2.6');
    assert.deepEqual(chatParams(k26, { thinking: 'on', reasoningEffort: 'high' }), { thinking: { type: 'enabled' }, max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    assert.deepEqual(chatParams(k26, { thinking: 'off' }), { thinking: { type: 'disabled' }, max_tokens: DEFAULT_MAX_TOKENS });
    assert.deepEqual(chatParams(k26, { thinking: 'auto' }), { max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    const k3 = modelFacts('kimi-k3');
    assert.deepEqual(chatParams(k3, { thinking: 'on', reasoningEffort: 'low' }), { reasoning_effort: 'low', max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    assert.deepEqual(chatParams(k3, { thinking: 'auto', reasoningEffort: 'high' }), { reasoning_effort: 'high', max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    assert.deepEqual(chatParams(k3, { thinking: 'off', reasoningEffort: 'high' }), { max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    assert.deepEqual(chatParams(modelFacts('kimi-k2.7-code'), { thinking: 'off', reasoningEffort: 'high' }), { max_tokens: DEFAULT_MAX_TOKENS_THINKING });
    assert.deepEqual(chatParams(modelFacts('moonshot-v1-8k'), { thinking: 'on', reasoningEffort: 'high' }), { max_tokens: DEFAULT_MAX_TOKENS });
  });

  it('sends temperature only to models without fixed sampling', () => {
    assert.equal(chatParams(modelFacts('moonshot-v1-128k'), { thinking: 'auto', temperature: 0.3 }).temperature, 0.3);
    assert.equal(chatParams(modelFacts('kimi-k2-turbo-preview'), { thinking: 'auto', temperature: 0 }).temperature, 0);
    for (const id of ['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.6', 'kimi-k2.5', 'kimi-k2-thinking', 'kimi-k5']) {
      assert.equal('temperature' in chatParams(modelFacts(id), { thinking: 'off', temperature: 0.3 }), false, id);
    }
  });

  it('keeps max_tokens within the context window', () => {
    const v8k = modelFacts('moonshot-v1-8k');
    assert.equal(chatParams(v8k, { thinking: 'auto', promptTokens: 5000 }).max_tokens, 8192 - 5000);
    assert.equal(chatParams(v8k, { thinking: 'auto', maxTokens: 100_000 }).max_tokens, 8192);
    assert.equal(chatParams(v8k, { thinking: 'auto', maxTokens: 500, promptTokens: 100 }).max_tokens, 500);
    assert.equal(chatParams(v8k, { thinking: 'auto', promptTokens: 9000 }).max_tokens, 1);
    assert.equal(chatParams(modelFacts('kimi-k3'), { thinking: 'auto', maxTokens: 200_000 }).max_tokens, 200_000);
  });
});
