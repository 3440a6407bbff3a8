import * as assert from 'node:assert/strict';
import { Disposable } from '../../../src/core/disposable';

const child = (log: string[], name: string, fail = false) => ({
  dispose: () => {
    log.push(name);
    if (fail) throw new Error(`${name} failed`);
  },
});

describe('Disposable', () => {
  it('register returns the child and disposes children once, newest first', () => {
    const log: string[] = [];
    const owner = new Disposable();
    const a = child(log, 'a');
    assert.equal(owner.register(a), a);
    owner.register(child(log, 'b'));
    owner.dispose();
    owner.dispose();
    assert.deepEqual(log, ['b', 'a']);
  });

  it('disposes a child registered after disposal at once', () => {
    const log: string[] = [];
    const owner = new Disposable();
    owner.dispose();
    owner.register(child(log, 'late'));
    assert.deepEqual(log, ['late']);
  });

  it('one failing child does not keep the others alive', () => {
    const log: string[] = [];
    const owner = new Disposable();
    owner.register(child(log, 'a'));
    owner.register(child(log, 'b', true));
    const original = console.error;
    console.error = () => undefined;
    try {
      owner.dispose();
    } finally {
      console.error = original;
    }
    assert.deepEqual(log, ['b', 'a']);
  });
});
