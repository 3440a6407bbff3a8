import * as assert from 'node:assert/strict';
import { containsSecret, documentReason, estimateTokens, looksLikeSecretFile } from '../../../src/shared/privacy';

describe('token count privacy: what may be sent for counting', () => {
  it('recognises files that usually hold secrets', () => {
    for (const p of ['/w/.env', '/w/.env.local', '/w/prod.env', '/w/cert.pem', '/w/server.key', '/h/.ssh/id_rsa', '/h/.ssh/id_ed25519.pub', '/w/a.p12', '/w/b.PFX', '/h/.npmrc', '/h/.netrc', '/h/.aws/credentials', '/w/credentials.json', 'C:\\\\u\\\\.env']) {
      assert.equal(looksLikeSecretFile(p), true, p);
    }
    for (const p of ['/w/src/env.ts', '/w/README.md', '/w/keyboard.ts', '/w/environment.md', '/w/package.json']) {
      assert.equal(looksLikeSecretFile(p), false, p);
    }
  });

  it('recognises key-shaped text and the user\'s own key', () => {
    assert.equal(containsSecret('const k = "sk-AbCdEfGhIjKlMnOpQrStUvWx12";'), true);
    assert.equal(containsSecret('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...'), true);
    assert.equal(containsSecret('-----BEGIN RSA PRIVATE KEY-----'), true);
    assert.equal(containsSecret('aws_access_key_id = AKIAIOSFODNN7EXAMPLE'), true);
    assert.equal(containsSecret('token: ghp_' + 'a'.repeat(36)), true);
    assert.equal(containsSecret('key=AIza' + 'B'.repeat(35)), true);
    assert.equal(containsSecret('my key is short-key-123', 'short-key-123'), true, 'own key');
    assert.equal(containsSecret('function ask() { return "task-force"; }', 'sk-own-key-xyz'), false);
    assert.equal(containsSecret('-----BEGIN PUBLIC KEY-----'), false);
  });

  it('keeps untrusted, non-file, secret-named and excluded documents local', () => {
    const ok = { scheme: 'file', path: '/w/a.ts', trusted: true, excluded: false };
    assert.equal(documentReason(ok), undefined);
    assert.equal(documentReason({ ...ok, scheme: 'untitled', path: 'Untitled-1' }), undefined);
    assert.equal(documentReason({ ...ok, trusted: false }), 'untrusted');
    assert.equal(documentReason({ ...ok, scheme: 'vscode-userdata' }), 'scheme');
    assert.equal(documentReason({ ...ok, scheme: 'git' }), 'scheme');
    assert.equal(documentReason({ ...ok, path: '/w/.env' }), 'secretFile');
    assert.equal(documentReason({ ...ok, excluded: true }), 'excluded');
  });

  it('estimates tokens locally: CJK about one per character, other text about four characters per token', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcdefgh'), 2);
    assert.equal(estimateTokens('你好世界'), 4);
  });
});
