// Shared test plumbing for the client's unit tests: a real test server per suite, a logger that
// keeps every line (and every argument) it was given, and small stream helpers.
import { startMockServer, type MockServer, type MockServerOptions } from '../../server';
import { KimiClient, type ChatCompletionChunk, type KimiClientOptions, type KimiLogger } from '../../../src/kimi';

export const KEY = 'sk-test-key';

export class MemoryLogger implements KimiLogger {
  readonly lines: string[] = [];
  #keep(level: string, message: string, args: unknown[]): void {
    this.lines.push(`${level} ${message}${args.length ? ` ${JSON.stringify(args)}` : ''}`);
  }
  debug(message: string, ...args: unknown[]): void {
    this.#keep('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.#keep('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.#keep('warn', message, args);
  }
  error(message: string, ...args: unknown[]): void {
    this.#keep('error', message, args);
  }
}

/** Starts a test server for the suite (before) and closes it (after); resets it before each test. */
export function useServer(options: MockServerOptions = {}): { readonly server: MockServer } {
  const holder = {} as { server: MockServer };
  before(async () => {
    holder.server = await startMockServer(options);
  });
  beforeEach(() => holder.server.reset());
  after(async () => {
    await holder.server?.close();
  });
  return holder;
}

export function clientFor(server: MockServer, o: Partial<KimiClientOptions> = {}): KimiClient {
  return new KimiClient({ apiKey: KEY, baseUrl: server.url, ...o });
}

/** Reads a stream to its end, keeping the chunks that arrived before an error (returned as `error`). */
export async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<{ chunks: ChatCompletionChunk[]; text: string; error?: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, text: textOf(chunks), error };
  }
  return { chunks, text: textOf(chunks) };
}

export function textOf(chunks: ChatCompletionChunk[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
}

/** Chat requests the server received. */
export function chatRequests(server: MockServer): number {
  return server.requests.filter((r) => r.path === '/v1/chat/completions').length;
}
