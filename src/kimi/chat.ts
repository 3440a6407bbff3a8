// POST /v1/chat/completions, whole or streamed.
import type { Requests } from './requests';
import type { HttpRequest } from './transport';
import { normalizeUsage } from './stream';
import type { ChatCompletion, ChatCompletionChunk, ChatMessage, ChatParams, RequestOptions } from './types';

export type ChatCallParams = ChatParams & RequestOptions;

function chatRequest(model: string, messages: ChatMessage[], params: ChatCallParams, stream: boolean): HttpRequest {
  // Transport options and headers are not part of the JSON body; everything else is passed through
  // so newer API parameters work without a client update.
  const { signal, timeoutMs, headers, ...rest } = params;
  const body: Record<string, unknown> = { ...rest, model, messages, stream };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return { method: 'POST', path: '/chat/completions', body, headers, signal, timeoutMs };
}

export async function generate(requests: Requests, model: string, messages: ChatMessage[], params: ChatCallParams = {}): Promise<ChatCompletion> {
  const res = await requests.json<ChatCompletion>(chatRequest(model, messages, params, false));
  if (res.usage) normalizeUsage(res.usage);
  return res;
}

export function streamGenerate(requests: Requests, model: string, messages: ChatMessage[], params: ChatCallParams = {}): AsyncIterableIterator<ChatCompletionChunk> {
  return requests.stream(chatRequest(model, messages, params, true));
}
