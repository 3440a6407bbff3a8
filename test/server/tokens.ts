// POST /v1/tokenizers/estimate-token-count: the same counting the chat route bills with.
import { estimateTokens } from './answers';
import { applyCache } from './cache-use';
import type { JsonReply, RequestContext } from './context';
import { invalidRequest, notFound, requireObject } from './http';
import { findServerModel, modelNotFoundMessage } from './models';
import { validateMessages } from './validate';

export function estimateTokenCount(ctx: RequestContext): JsonReply {
  const body = requireObject(ctx.body);
  if (body.model === undefined || body.model === '') throw invalidRequest('model is required');
  const model = findServerModel(ctx.state, body.model);
  if (!model) throw notFound(modelNotFoundMessage(body.model));
  // The endpoint's model enum (May 2026) lacks kimi-k3: clients must fall back to a local estimate.
  if (model.rules.noEstimate) throw invalidRequest(`the model ${model.model.id} is not supported for token estimation`);
  const messages = validateMessages(body.messages, { allowCache: true, allowPartial: true });
  const { messages: expanded } = applyCache(ctx.state, ctx.req, messages, undefined);
  return { body: { data: { total_tokens: estimateTokens(expanded) } } };
}
