// GET /v1/models, and one model by id.
import { InvokeBadRequestError, InvokeError } from './errors';
import type { Requests } from './requests';
import type { Model, RequestOptions } from './types';

export async function listModels(requests: Requests, o: RequestOptions = {}): Promise<Model[]> {
  const res = await requests.json<{ data?: Model[] }>({ method: 'GET', path: '/models', signal: o.signal, timeoutMs: o.timeoutMs });
  return Array.isArray(res.data) ? res.data : [];
}

/**
 * GET /v1/models/{id} is not documented by Moonshot (OpenAI-compatible servers have it). When the
 * route itself is missing (url.not_found) the model is looked up in the list instead.
 */
export async function getModel(requests: Requests, id: string, o: RequestOptions = {}): Promise<Model> {
  try {
    return await requests.json<Model>({ method: 'GET', path: `/models/${encodeURIComponent(id)}`, signal: o.signal, timeoutMs: o.timeoutMs });
  } catch (e) {
    if (!(e instanceof InvokeError) || e.status !== 404 || e.type !== 'url.not_found') throw e;
  }
  const model = (await listModels(requests, o)).find((m) => m.id === id);
  if (model) return model;
  throw new InvokeBadRequestError(`Not found the model ${id} or Permission denied`, { status: 404, type: 'resource_not_found_error' });
}
