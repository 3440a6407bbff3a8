// JSON plumbing shared by every route: request bodies, the platform's two error shapes, replies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults';
import { writePieces } from './wire';

/** Thrown by handlers; the router turns it into the usual {"error":{message,type}} body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string): ApiError =>
  new ApiError(400, 'invalid_request_error', `Invalid request: ${message}`);

export const notFound = (message: string): ApiError => new ApiError(404, 'resource_not_found_error', message);

export function errorBody(type: string, message: string): { error: { message: string; type: string } } {
  return { error: { message, type } };
}

/** The gateway's body for an unknown route or method: `error` is a string here, not an object. */
export function urlNotFoundBody(req: IncomingMessage): Record<string, unknown> {
  return {
    code: 5,
    error: 'url.not_found',
    message: '没找到对象',
    method: req.method ?? 'GET',
    scode: '0x5',
    status: false,
    ua: req.headers['user-agent'] ?? '',
    url: (req.url ?? '/').split('?')[0],
  };
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limitBytes) throw new ApiError(413, 'invalid_request_error', 'Request body too large');
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** Parses a JSON body; an empty body is `undefined`, a malformed one a 400. */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidRequest('the request body is not valid JSON');
  }
}

/** Sends a JSON reply, in awkward pieces when a fragment fault is active. */
export async function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  fault?: Fault,
): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(bytes.length) });
  await writePieces(res, bytes, fault?.kind === 'fragment' ? fault.pieces : undefined);
  res.end();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object, or a 400 saying so. */
export function requireObject(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw invalidRequest('the request body must be a JSON object');
  return body;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
