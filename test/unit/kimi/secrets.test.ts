// The API key never reaches a log line, an error message or a thrown object (however serialised),
// and the debug log says what happened: method, path, status, duration, request id, retries.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startMockServer, type MockServer } from '../../server';
import { InvokeError, KimiClient } from '../../../src/kimi';
import { loggableUrl, redact } from '../../../src/kimi/log';
import { drain, MemoryLogger } from './helpers';

const KEYS = ['sk-SECRETkey0123456789abcdefXYZ', 'plainSecretWithoutPrefix42'];

function serialisations(value: unknown): string[] {
  const out = [inspect(value, { depth: null, showHidden: true, getters: true }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) out.push(value.stack ?? '', value.message);
  return out;
}

for (const key of KEYS) {
  describe(`the API key (${key.startsWith('sk-') ? 'sk- shaped' : 'any shape'}) stays secret`, function () {
    this.timeout(15_000);
    let server: MockServer;
    before(async () => {
      server = await startMockServer({ apiKeys: [key] });
    });
    after(() => server.close());

    it('in logs, errors and the client object, across successes and every kind of failure', async () => {
      const logger = new MemoryLogger();
      const client = new KimiClient({ apiKey: key, baseUrl: server.url, logger, timeoutMs: 300 });
      const errors: unknown[] = [];
      const attempt = async (p: Promise<unknown>): Promise<void> => {
        await p.then(
          () => undefined,
          (e: unknown) => errors.push(e),
        );
      };
      const q = [{ role: 'user' as const, content: `echo:hello` }];

      await attempt(client.listModels());
      await attempt(drain(client.streamGenerate('moonshot-v1-8k', q)).then((r) => (r.error ? Promise.reject(r.error) : r)));
      // A server that echoes the key (or a bearer header) in its error message.
      server.fault({ kind: 'status', status: 400, message: `bad key ${key} in Authorization: Bearer ${key}` });
      await attempt(client.listModels());
      server.fault({ kind: 'status', status: 429, times: 1 });
      await attempt(client.listModels());
      server.fault({ kind: 'status', status: 500, rawBody: `<pre>${key}</pre>`, times: 3 });
      await attempt(client.listModels());
      server.fault({ kind: 'streamError', afterChunks: 1, errorType: 'server_error', message: `leaked ${key}` });
      await attempt(drain(client.streamGenerate('moonshot-v1-8k', q)).then((r) => (r.error ? Promise.reject(r.error) : r)));
      server.fault({ kind: 'cut', afterChunks: 2 });
      await attempt(drain(client.streamGenerate('moonshot-v1-8k', q)).then((r) => (r.error ? Promise.reject(r.error) : r)));
      server.fault({ kind: 'slowFirstByte', delayMs: 3000, times: 3 });
      await attempt(client.listModels());
      const controller = new AbortController();
      controller.abort();
      await attempt(client.listModels({ signal: controller.signal }));
      const wrong = new KimiClient({ apiKey: `${key}-wrong`, baseUrl: server.url, logger });
      await attempt(wrong.listModels());
      await attempt(new KimiClient({ apiKey: key, baseUrl: 'http://127.0.0.1:9/v1', logger, maxRetries: 0 }).listModels());

      assert.equal(errors.length, 8, errors.map((e) => String(e)).join("\n"));
      assert.ok(errors.some((e) => e instanceof InvokeError && e.message.includes('bad key')), 'the echoed message is kept, redacted');
      assert.ok(logger.lines.length > 10);
      const everything = [...logger.lines, ...errors.flatMap(serialisations), ...serialisations(client), ...serialisations(wrong)];
      for (const text of everything) {
        assert.ok(!text.includes(key), `key found in: ${text.slice(0, 300)}`);
        assert.ok(!text.includes(key.slice(0, 16)), `part of the key found in: ${text.slice(0, 300)}`);
      }
      // The server did get it, so the test is not vacuous.
      assert.equal(server.requests[0]!.headers.authorization, `Bearer ${key}`);
    });
  });
}

describe('the log', function () {
  this.timeout(10_000);
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());

  it('has method, path, status, duration, request id and the retry decisions at info', async () => {
    const logger = new MemoryLogger();
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: server.url, logger });
    server.fault({ kind: 'status', status: 503 });
    await client.listModels();
    const [first, second] = server.requests;
    assert.ok(logger.lines.some((l) => l.startsWith('info GET /v1/models → 503 in ') && l.includes(`request-id=${first!.requestId}`)), logger.lines.join('\n'));
    assert.ok(logger.lines.some((l) => /^info GET \/v1\/models: retrying in \d+ ms \(503 server_error: a GET is safe to repeat, attempt 2\/3\)$/.test(l)), logger.lines.join('\n'));
    assert.ok(logger.lines.some((l) => /^info GET \/v1\/models → 200 in \d+ ms request-id=/.test(l) && l.includes(second!.requestId)));
    server.fault({ kind: 'status', status: 429, type: 'exceeded_current_quota_error', message: 'quota' });
    await client.listModels().catch(() => undefined);
    assert.ok(logger.lines.some((l) => l.startsWith('info GET /v1/models: not retrying (429 exceeded_current_quota_error: quota')), logger.lines.join('\n'));
    server.fault({ kind: 'cut', afterChunks: 2 });
    await drain(client.streamGenerate('moonshot-v1-8k', [{ role: 'user', content: 'hi' }]));
    assert.ok(logger.lines.some((l) => l.startsWith('info POST /v1/chat/completions → 200') && l.includes('(stream open)')), logger.lines.join('\n'));
    assert.ok(logger.lines.some((l) => /^info POST \/v1\/chat\/completions stream failed after \d+ ms: InvokeConnectionError/.test(l)), logger.lines.join('\n'));
    await drain(client.streamGenerate('moonshot-v1-8k', [{ role: 'user', content: 'hi' }]));
    assert.ok(logger.lines.some((l) => /POST \/v1\/chat\/completions stream complete in \d+ ms/.test(l)), logger.lines.join('\n'));
  });

  it('redacts keys, bearer tokens and proxy credentials in any text', () => {
    assert.equal(redact('key sk-abcdefgh12345 here'), 'key sk-*** here');
    assert.equal(redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer ***');
    assert.equal(redact('via http://user:pa55@proxy:8080'), 'via http://***@proxy:8080');
    assert.equal(redact('token opaque-secret-1 seen', ['opaque-secret-1']), 'token *** seen');
  });
});

/** A recording logger that, like VS Code's LogOutputChannel, has a level (Info = 3, Debug = 2). */
class LevelLogger extends MemoryLogger {
  constructor(readonly logLevel: number) {
    super();
  }
}

describe('the log at each level', function () {
  this.timeout(10_000);
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  const secretQuestion = [{ role: 'user' as const, content: 'echo:my other key is sk-OTHERsecret0123456789' }];

  it('at info: one line per request with method, path, status, ms and request id; no bodies', async () => {
    const logger = new LevelLogger(3);
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: server.url, logger });
    await client.listModels();
    await drain(client.streamGenerate('moonshot-v1-8k', secretQuestion));
    await client.countTokens('moonshot-v1-8k', secretQuestion);
    const ids = server.requests.map((r) => r.requestId);
    assert.deepEqual(
      logger.lines.map((l) => l.replace(/in \d+ ms/, 'in N ms')),
      [
        `info GET /v1/models → 200 in N ms request-id=${ids[0]}`,
        `info POST /v1/chat/completions → 200 in N ms request-id=${ids[1]} (stream open)`,
        `info POST /v1/tokenizers/estimate-token-count → 200 in N ms request-id=${ids[2]}`,
      ],
    );
  });

  it('at debug: request and answer bodies too, with keys redacted', async () => {
    const logger = new LevelLogger(2);
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: server.url, logger });
    await client.countTokens('moonshot-v1-8k', secretQuestion);
    const text = logger.lines.join('\n');
    assert.ok(logger.lines.some((l) => l.startsWith('debug POST /v1/tokenizers/estimate-token-count request: {"model":"moonshot-v1-8k"')), text);
    assert.ok(logger.lines.some((l) => l.startsWith('debug POST /v1/tokenizers/estimate-token-count answer: {')), text);
    assert.ok(text.includes('my other key is sk-***'), text);
    assert.ok(!text.includes('OTHERsecret'), text);
  });

  it('base URLs without credentials or query strings', () => {
    assert.equal(loggableUrl('https://user:pa55@api.example.com/v1?token=abc#x'), 'https://api.example.com/v1');
    const client = new KimiClient({ apiKey: 'sk-test-key', baseUrl: 'https://user:pa55@api.example.com/v1?token=abc' });
    assert.equal(client.baseUrl, 'https://api.example.com/v1');
  });
});
