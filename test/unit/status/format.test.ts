import * as assert from 'node:assert/strict';
import { formatContext, formatShare } from '../../../src/shared/format';
import { statusText } from '../../../src/status/format';

describe('status-bar text', () => {
  it('shows count, share and window like "1,234 tokens · 1% of 128K"', () => {
    assert.equal(statusText(1234, 131072, false), '$(symbol-numeric) 1,234 tokens · 1% of 128K');
    assert.equal(statusText(131072, 262144, false), '$(symbol-numeric) 131,072 tokens · 50% of 256K');
    assert.equal(statusText(1, 8192, false), '$(symbol-numeric) 1 token · <1% of 8K');
  });
  it('marks estimates and leaves the share out when the window is unknown', () => {
    assert.equal(statusText(62500, 262144, true), '$(symbol-numeric) ≈62,500 tokens · 24% of 256K');
    assert.equal(statusText(10, undefined, false), '$(symbol-numeric) 10 tokens');
  });
  it('formats windows and shares', () => {
    assert.equal(formatContext(8192), '8K');
    assert.equal(formatContext(500), '500');
    assert.equal(formatShare(0, 100), '0%');
    assert.equal(formatShare(300, 100), '300%');
  });
});
