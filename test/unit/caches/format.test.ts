import * as assert from 'node:assert/strict';
import {
  describeCache,
  formatDuration,
  formatExpiry,
  formatMetadata,
  formatMetadataForEdit,
  isExpired,
  parseMetadata,
  validateTagName,
  validateTtl,
} from '../../../src/caches/format';
import type { ContextCache } from '../../../src/kimi/types';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowS = NOW / 1000;
const cache = (over: Partial<ContextCache>): ContextCache => ({ id: 'cache-1', object: 'context_cache_object', model: 'moonshot-v1', status: 'ready', ...over });

describe('cache descriptions', () => {
  it('formats status, tokens with separators and time left', () => {
    assert.equal(describeCache(cache({ tokens: 12345, expired_at: nowS + 42 * 60 }), NOW), 'ready · 12,345 tokens · expires in 42 min');
    assert.equal(describeCache(cache({ status: 'pending', tokens: 7 }), NOW), 'pending · 7 tokens');
    assert.equal(describeCache(cache({ status: 'error' }), NOW), 'error');
  });

  it('formats durations in s, min and h', () => {
    assert.equal(formatDuration(30), '30 s');
    assert.equal(formatDuration(59.6), '1 min');
    assert.equal(formatDuration(3600), '1 h');
    assert.equal(formatDuration(3900), '1 h 5 min');
    // A cache set to 600 s and shown a moment later still reads as set, not one minute less.
    assert.equal(formatDuration(599), '10 min');
    assert.equal(formatExpiry(nowS + 598, NOW), 'expires in 10 min');
    assert.equal(formatExpiry(nowS - 180, NOW), 'expired 3 min ago');
    assert.equal(formatExpiry(undefined, NOW), '');
  });

  it('treats inactive, expired and past-expiry caches as expired', () => {
    assert.equal(isExpired(cache({ expired_at: nowS + 1 }), NOW), false);
    assert.equal(isExpired(cache({ expired_at: nowS }), NOW), true);
    assert.equal(isExpired(cache({ status: 'inactive' }), NOW), true);
    assert.equal(isExpired(cache({ status: 'expired' }), NOW), true);
    assert.equal(isExpired(cache({}), NOW), false);
  });
});

describe('TTL validation', () => {
  it('accepts whole seconds from 1 to 3600', () => {
    for (const ok of ['1', '60', ' 3600 ', '0600']) assert.equal(validateTtl(ok), undefined, ok);
  });
  it('refuses everything else with a message', () => {
    for (const bad of ['', '0', '-5', '3601', '1.5', 'abc', '1e3', '10 s']) {
      const message = validateTtl(bad);
      assert.ok(message && message.length > 10, `expected a message for ${JSON.stringify(bad)}`);
    }
    assert.match(validateTtl('3601') ?? '', /3600/);
  });
});

describe('tag name validation', () => {
  it('accepts a letter followed by letters, digits, _ - .', () => {
    for (const ok of ['a', 'my-tag', 'Tom', 'v1.2_final', 'x'.repeat(128)]) assert.equal(validateTagName(ok), undefined, ok);
  });
  it('refuses empty, too long, bad first character and other characters', () => {
    assert.ok(validateTagName(''));
    assert.ok(validateTagName('x'.repeat(129)));
    assert.match(validateTagName('1tag') ?? '', /letter/);
    assert.match(validateTagName('_tag') ?? '', /letter/);
    assert.match(validateTagName('my tag') ?? '', /" "/);
    assert.match(validateTagName('a/b') ?? '', /"\/"/);
    assert.ok(validateTagName('标签'));
  });
});

describe('metadata parsing', () => {
  it('round-trips key=value pairs', () => {
    const parsed = parseMetadata('project=kimi, owner = me');
    assert.deepEqual(parsed, { metadata: { project: 'kimi', owner: 'me' } });
    assert.equal(formatMetadata({ project: 'kimi', owner: 'me' }), 'project=kimi, owner=me');
    assert.deepEqual(parseMetadata('  '), { metadata: {} });
    assert.equal(formatMetadata(null), '');
  });
  it('takes a JSON object for values with commas, and offers it when a pair would not read back', () => {
    const metadata = { team: 'a, b', note: 'x=y' };
    assert.deepEqual(parseMetadata('{"team": "a, b", "note": "x=y"}'), { metadata });
    assert.equal(formatMetadataForEdit(metadata), JSON.stringify(metadata));
    assert.deepEqual(parseMetadata(formatMetadataForEdit(metadata)), { metadata });
    assert.equal(formatMetadataForEdit({ project: 'kimi' }), 'project=kimi');
    assert.ok('error' in parseMetadata('{"team": 1}'));
    assert.ok('error' in parseMetadata('{"team": '));
    assert.ok('error' in parseMetadata('["a"]'));
  });
  it('refuses malformed entries and limits', () => {
    assert.ok('error' in parseMetadata('novalue'));
    assert.ok('error' in parseMetadata('=x'));
    assert.ok('error' in parseMetadata(`${'k'.repeat(65)}=v`));
    assert.ok('error' in parseMetadata(`k=${'v'.repeat(513)}`));
    assert.ok('error' in parseMetadata(Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(',')));
  });
});
