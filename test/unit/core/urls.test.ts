import * as assert from 'node:assert/strict';
import { displayUrl, isInsecureRemote, urlHost } from '../../../src/core/urls';

describe('endpoint URLs: where the key goes and what the log shows', () => {
  it('logs a base URL without credentials, query or fragment', () => {
    assert.equal(displayUrl('https://user:secret@api.example.com:8443/v1?token=abc#x'), 'https://api.example.com:8443/v1');
    assert.equal(displayUrl('https://api.moonshot.cn/v1'), 'https://api.moonshot.cn/v1');
    assert.equal(displayUrl('not a url sk-123'), '(invalid URL)');
  });

  it('names a base URL by its host and port in messages, without credentials', () => {
    assert.equal(urlHost('https://user:secret@api.example.com:8443/v1'), 'api.example.com:8443');
    assert.equal(urlHost('https://api.moonshot.ai/v1'), 'api.moonshot.ai');
  });

  it('calls plain http to another machine insecure, and loopback or https not', () => {
    for (const u of ['http://example.com/v1', 'http://10.0.0.5:8080/v1', 'http://127.0.0.1.nip.io/v1']) assert.equal(isInsecureRemote(u), true, u);
    for (const u of ['https://example.com/v1', 'http://127.0.0.1:4010/v1', 'http://localhost:1/v1', 'http://[::1]:9/v1', 'http://api.localhost/v1']) assert.equal(isInsecureRemote(u), false, u);
  });
});
