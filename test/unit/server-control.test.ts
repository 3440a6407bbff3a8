// The test server's HTTP control endpoints (/__mock/*) and its command line.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startMockServer, type MockServer } from '../server';
import { call, KEY, stream } from './server-support';

describe('test server: control endpoints', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ cacheReadyAfterMs: 0 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const control = (method: string, path: string, body?: unknown) =>
    call(server, method, path, body, { Authorization: '' });

  it('queues a fault sent as JSON, without a key', async () => {
    const added = await control('POST', '/__mock/faults', { kind: 'status', status: 500, match: '/v1/models' });
    assert.equal(added.status, 200);
    assert.equal(added.json.ok, true);
    assert.equal((await call(server, 'GET', '/v1/models')).status, 500);
    assert.equal((await call(server, 'GET', '/v1/models')).status, 200);
    await control('POST', '/__mock/faults', { kind: 'cut', afterChunks: 1 });
    assert.equal((await stream(server, { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'x' }] })).events.length, 1);
  });

  it('refuses a malformed fault', async () => {
    for (const bad of [{ kind: 'meteor' }, { kind: 'status' }, { kind: 'fragment', pieces: 'lines' }, 'cut']) {
      const reply = await control('POST', '/__mock/faults', bad);
      assert.equal(reply.status, 400, JSON.stringify(bad));
    }
    assert.equal((await control('GET', '/__mock/state')).json.faults.length, 0);
  });

  it('lists recorded API requests, not control requests', async () => {
    await call(server, 'GET', '/v1/models');
    await call(server, 'POST', '/v1/chat/completions', { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'hi' }] });
    const recorded = await control('GET', '/__mock/requests');
    assert.deepEqual(recorded.json.map((r: { method: string; path: string }) => `${r.method} ${r.path}`), [
      'GET /v1/models',
      'POST /v1/chat/completions',
    ]);
    assert.equal(recorded.json[1].body.messages[0].content, 'hi');
    assert.equal(recorded.json[1].headers.authorization, `Bearer ${KEY}`);
  });

  it('shows caches, tags and pending faults, and resets everything', async () => {
    const cache = await call(server, 'POST', '/v1/caching', {
      model: 'moonshot-v1', messages: [{ role: 'user', content: 'doc' }], tags: ['doc'],
    });
    server.fault({ kind: 'slowFirstByte', delayMs: 10, match: '/v1/never' });
    const state = await control('GET', '/__mock/state');
    assert.deepEqual(state.json.caches.map((c: { id: string }) => c.id), [cache.json.id]);
    assert.equal(state.json.caches[0].status, 'ready');
    assert.deepEqual(state.json.tags.map((t: { tag: string }) => t.tag), ['doc']);
    assert.equal(state.json.faults.length, 1);
    assert.equal(state.json.requests, 1);
    assert.equal(state.json.options.apiKeys, undefined);

    assert.equal((await control('POST', '/__mock/reset')).status, 200);
    const after = await control('GET', '/__mock/state');
    assert.deepEqual([after.json.caches, after.json.tags, after.json.faults, after.json.requests], [[], [], [], 0]);
    assert.equal(server.caches.size, 0);
    assert.equal(server.requests.length, 0);
  });
});

describe('test server: command line', () => {
  it('prints the URL and key, serves them, and stops on SIGTERM', async () => {
    const cli = spawn(process.execPath, [join(__dirname, '..', 'server', 'cli.js'), '--port', '0', '--key', 'sk-by-hand', '--chunk-delay', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      cli.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        cli.stdout.on('data', (text: string) => {
          out += text;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
          if (match && out.includes('sk-by-hand')) resolve(match[1]);
        });
        cli.once('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      const ok = await fetch(`${url}/models`, { headers: { Authorization: 'Bearer sk-by-hand' } });
      assert.equal(ok.status, 200);
      const refused = await fetch(`${url}/models`, { headers: { Authorization: `Bearer ${KEY}` } });
      assert.equal(refused.status, 401);
      const exited = once(cli, 'exit');
      cli.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
  });
});
