// Small fetch helpers for the test server's own unit tests (plain Node, global fetch, no client).
import { request as httpRequest } from 'node:http';
import { startMockServer, type MockServer, type MockServerOptions } from '../server';

export const KEY = 'sk-test-key';

export interface Reply {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary response shapes
}

export async function call(
  server: MockServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(server.url.replace(/\/v1$/, '') + path, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, json };
}

export interface StreamResult {
  status: number;
  headers: Headers;
  /** Parsed data payloads, [DONE] excluded. */
  events: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- chunk shapes vary
  done: boolean;
  /** Set when the body ended abnormally (connection cut). */
  error?: unknown;
  raw: string;
}

/** Reads a whole SSE response, even one that is cut, and splits it into events. */
export async function stream(server: MockServer, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<StreamResult> {
  const res = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const bytes: Uint8Array[] = [];
  let error: unknown;
  try {
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) bytes.push(part);
  } catch (err) {
    error = err;
  }
  const raw = Buffer.concat(bytes).toString('utf8');
  const events: unknown[] = [];
  let done = false;
  for (const block of raw.split('\n\n')) {
    if (!block.startsWith('data: ')) continue;
    const data = block.slice('data: '.length);
    if (data === '[DONE]') done = true;
    else events.push(JSON.parse(data));
  }
  return { status: res.status, headers: res.headers, events, done, error, raw };
}

/** The streamed text of choice 0. */
export const textOf = (events: StreamResult['events']): string =>
  events.map((e) => e.choices?.[0]?.delta?.content ?? '').join('');

export interface RawResponse {
  status: number;
  /** Each piece as the socket delivered it, with the time it arrived. */
  pieces: Array<{ bytes: Buffer; at: number }>;
  headersAt: number;
  sentAt: number;
  ended: boolean;
  error?: Error;
}

/** A request through node:http that keeps the body pieces as they arrive (for fragment/timing faults). */
export function rawRequest(server: MockServer, path: string, body: unknown): Promise<RawResponse> {
  return new Promise((resolve) => {
    const sentAt = Date.now();
    const req = httpRequest(
      `${server.url.replace(/\/v1$/, '')}${path}`,
      { method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' } },
      (res) => {
        const result: RawResponse = { status: res.statusCode ?? 0, pieces: [], headersAt: Date.now(), sentAt, ended: false };
        res.on('data', (bytes: Buffer) => result.pieces.push({ bytes, at: Date.now() }));
        res.on('end', () => {
          result.ended = true;
          resolve(result);
        });
        res.on('error', (error) => {
          result.error = error;
          resolve(result);
        });
      },
    );
    req.on('error', (error) =>
      resolve({ status: 0, pieces: [], headersAt: 0, sentAt, ended: false, error }),
    );
    req.end(JSON.stringify(body));
  });
}

export async function withServer(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer(options);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() is true or the time is up; returns the last result. */
export async function eventually(check: () => Promise<boolean> | boolean, withinMs = 3000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(25);
  }
  return check();
}
