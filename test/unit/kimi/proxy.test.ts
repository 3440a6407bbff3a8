// Through a real HTTP CONNECT proxy on loopback (the `proxy` package): the proxy option (with and
// without credentials), setProxy, HTTP_PROXY for http and HTTPS_PROXY for https targets, NO_PROXY.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { ProxyServer } from 'proxy';
import { InvokeConnectionError, KimiClient } from '../../../src/kimi';
import { clientFor, KEY, useServer } from './helpers';

const ENV_NAMES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_TLS_REJECT_UNAUTHORIZED'];

interface Proxy {
  url: string;
  connects: string[];
  server: ProxyServer;
}

async function startProxy(credentials?: string): Promise<Proxy> {
  const { createProxy } = await import('proxy');
  const server = createProxy(createHttpServer());
  const connects: string[] = [];
  server.on('connect', (req: IncomingMessage) => connects.push(req.url ?? ''));
  if (credentials) {
    server.authenticate = (req) => req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connects, server };
}

const stop = (p: Proxy): Promise<void> =>
  new Promise((r) => {
    p.server.closeAllConnections();
    p.server.close(() => r());
  });

describe('KimiClient through a proxy', function () {
  this.timeout(20_000);
  const ctx = useServer();
  let proxy: Proxy;
  const savedEnv: Record<string, string | undefined> = {};
  before(() => {
    for (const n of ENV_NAMES) savedEnv[n] = process.env[n];
  });
  beforeEach(async () => {
    for (const n of ENV_NAMES) delete process.env[n];
    proxy = await startProxy();
  });
  afterEach(async () => {
    for (const n of ENV_NAMES) {
      if (savedEnv[n] === undefined) delete process.env[n];
      else process.env[n] = savedEnv[n];
    }
    await stop(proxy);
  });
  const target = () => `127.0.0.1:${ctx.server.port}`;

  it('the proxy option tunnels every request (JSON and streams) with CONNECT', async () => {
    const client = clientFor(ctx.server, { proxy: proxy.url });
    assert.equal(client.proxy, proxy.url);
    assert.ok((await client.listModels()).length > 0);
    let text = '';
    for await (const c of client.streamGenerate('moonshot-v1-8k', [{ role: 'user', content: 'echo:through the proxy 🚇' }])) text += c.choices[0]?.delta.content ?? '';
    assert.equal(text, 'through the proxy 🚇');
    assert.ok(proxy.connects.length >= 1);
    assert.ok(proxy.connects.every((c) => c === target()));
    assert.equal(ctx.server.requests.length, 2);
    await client.close();
  });

  it('proxy credentials in the URL are sent as Proxy-Authorization', async () => {
    const locked = await startProxy('user:s3cret');
    try {
      const [host] = locked.url.replace('http://', '').split('/');
      const client = clientFor(ctx.server, { proxy: `http://user:s3cret@${host}`, maxRetries: 0 });
      assert.ok((await client.listModels()).length > 0);
      assert.equal(locked.connects.length, 1);
      const wrong = clientFor(ctx.server, { proxy: `http://user:nope@${host}`, maxRetries: 0 });
      await assert.rejects(wrong.listModels(), (e: unknown) => {
        assert.ok(e instanceof InvokeConnectionError);
        assert.match(e.message, /proxy refused .*407/);
        assert.equal(e.retryable, false);
        assert.ok(!inspect(e, { depth: null }).includes('nope'));
        return true;
      });
    } finally {
      await stop(locked);
    }
  });

  it('setProxy switches between direct and proxied connections', async () => {
    const client = clientFor(ctx.server);
    await client.listModels();
    assert.equal(proxy.connects.length, 0);
    client.setProxy(proxy.url);
    await client.listModels();
    assert.equal(proxy.connects.length, 1);
    client.setProxy('');
    await client.listModels();
    assert.equal(proxy.connects.length, 1);
    assert.equal(ctx.server.requests.length, 3);
  });

  it('HTTP_PROXY is used for an http base URL, and NO_PROXY bypasses it', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const client = clientFor(ctx.server);
    assert.ok((await client.listModels()).length > 0);
    assert.deepEqual(proxy.connects, [target()]);

    process.env.NO_PROXY = 'localhost,127.0.0.1';
    const direct = clientFor(ctx.server);
    assert.equal(direct.proxy, undefined);
    assert.ok((await direct.listModels()).length > 0);
    assert.equal(proxy.connects.length, 1);

    process.env.NO_PROXY = `127.0.0.1:${ctx.server.port + 1}`;
    const otherPort = clientFor(ctx.server);
    await otherPort.listModels();
    assert.equal(proxy.connects.length, 2);
  });

  it('the proxy option wins over the environment', async () => {
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    const client = clientFor(ctx.server, { proxy: proxy.url });
    assert.ok((await client.listModels()).length > 0);
    assert.equal(proxy.connects.length, 1);
  });

  it('HTTPS_PROXY is used for an https base URL (TLS inside the tunnel)', async function () {
    let dir: string;
    try {
      dir = mkdtempSync(join(tmpdir(), 'kimi-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      this.skip(); // no openssl: the http cases above still cover the proxy path
    }
    const seen: string[] = [];
    const https: HttpsServer = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'moonshot-v1-8k', object: 'model' }] }));
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    try {
      const port = (https.address() as AddressInfo).port;
      process.env.HTTPS_PROXY = proxy.url;
      process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // must not be used for https
      // The test certificate is self-signed.
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      const client = new KimiClient({ apiKey: KEY, baseUrl: `https://127.0.0.1:${port}/v1`, maxRetries: 0 });
      assert.equal(client.proxy, proxy.url);
      const models = await client.listModels();
      assert.equal(models[0]!.id, 'moonshot-v1-8k');
      assert.deepEqual(proxy.connects, [`127.0.0.1:${port}`]);
      assert.deepEqual(seen, [`GET /v1/models Bearer ${KEY}`]);
      await client.close();
    } finally {
      https.closeAllConnections();
      await new Promise((r) => https.close(r));
      rmSync(dir!, { recursive: true, force: true });
    }
  });
});
