import * as assert from 'node:assert/strict';
import { InsertionTracker, type TextChange } from '../../../src/editor/insertion-tracker';

/** A tiny document that applies changes and reports them to the tracker, like the editor does. */
class Doc {
  constructor(
    public text: string,
    private readonly tracker: InsertionTracker,
  ) {}

  apply(change: TextChange): void {
    this.text = this.text.slice(0, change.offset) + change.text + this.text.slice(change.offset + change.removed);
    this.tracker.onChange(change);
  }

  /** Our streamed batch: computed from the tracker, applied, recognised as ours. */
  ours(text: string): void {
    const edit = this.tracker.nextEdit(text);
    this.tracker.expect(edit);
    this.apply({ ...edit });
  }

  typeAt(offset: number, text: string): void {
    this.apply({ offset, removed: 0, text });
  }
}

describe('InsertionTracker', () => {
  it('appends batches at the cursor one after another', () => {
    const t = new InsertionTracker(6, 0);
    const d = new Doc('hello world', t);
    d.ours('A');
    d.ours('BC');
    d.ours('D');
    assert.equal(d.text, 'hello ABCDworld');
    assert.deepEqual([t.regionStart, t.regionEnd], [6, 10]);
  });

  it('replaces the selection with the first batch only', () => {
    const t = new InsertionTracker(2, 3);
    const d = new Doc('abOLDcd', t);
    d.ours('n');
    d.ours('ew');
    assert.equal(d.text, 'abnewcd');
  });

  it('keeps both texts intact when the user types before, after and at the edges', () => {
    const t = new InsertionTracker(5, 0);
    const d = new Doc('0123456789', t);
    d.ours('[gen');
    d.typeAt(0, 'BEFORE ');
    d.ours('er');
    d.typeAt(d.text.length, ' AFTER');
    d.typeAt(t.regionEnd, '|typed at end|');
    d.ours('ated]');
    d.typeAt(t.regionStart, '<typed at start>');
    d.ours('!');
    assert.equal(d.text, 'BEFORE 01234<typed at start>[generated]!|typed at end|56789 AFTER');
    assert.equal(t.touchedInside, false);
  });

  it('knows when someone else edited between our first and last edit (the insertion is then several undo steps)', () => {
    const t = new InsertionTracker(2, 0);
    const doc = new Doc('abcd', t);
    doc.typeAt(0, 'x');
    assert.equal(t.interleaved, false, 'a change before our first edit does not split it');
    doc.ours('1');
    assert.equal(t.interleaved, false);
    doc.typeAt(0, 'y');
    doc.ours('2');
    assert.equal(t.interleaved, true);
    assert.equal(doc.text, 'yxab12cd');
  });

  it('follows our own edits that replace the whole region (the final rewrite), with typing in between', () => {
    const t = new InsertionTracker(2, 0);
    const d = new Doc('ab\ncd', t);
    d.ours('GEN');
    d.typeAt(0, 'x');
    const region = (text: string): TextChange => ({ offset: t.regionStart, removed: t.regionEnd - t.regionStart, text });
    const restore = region('');
    t.expect(restore);
    d.apply({ ...restore });
    assert.equal(d.text, 'xab\ncd');
    d.typeAt(0, 'y');
    const rewrite = region('GEN');
    t.expect(rewrite);
    d.apply({ ...rewrite });
    assert.equal(d.text, 'yxabGEN\ncd');
    assert.deepEqual([t.regionStart, t.regionEnd], [4, 7]);
  });

  it('follows deletions before the region', () => {
    const t = new InsertionTracker(4, 0);
    const d = new Doc('abcdefgh', t);
    d.ours('XY');
    d.apply({ offset: 0, removed: 3, text: '' });
    d.ours('Z');
    assert.equal(d.text, 'dXYZefgh');
  });

  it('keeps appending after the region when the user edits inside the generated text', () => {
    const t = new InsertionTracker(0, 0);
    const d = new Doc('', t);
    d.ours('abcdef');
    d.apply({ offset: 2, removed: 2, text: 'XYZ' });
    d.ours('!');
    assert.equal(d.text, 'abXYZef!');
    assert.equal(t.touchedInside, true);
  });

  it('does not take a foreign change that looks different from ours for our edit', () => {
    const t = new InsertionTracker(3, 0);
    const d = new Doc('abcdef', t);
    const edit = t.nextEdit('GEN');
    t.expect(edit);
    // The editor rejected our edit (document changed meanwhile): forget it and type.
    t.unexpect(edit);
    d.typeAt(3, 'u');
    d.ours('GEN');
    assert.equal(d.text, 'abcuGENdef');
  });

  it('tracks many random foreign edits without corrupting either text', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const original = 'line one\nline two\nline three\n';
      const t = new InsertionTracker(9, 0);
      const d = new Doc(original, t);
      let generated = '';
      let typed = 0;
      for (let i = 0; i < 30; i++) {
        const piece = `g${i};`;
        generated += piece;
        d.ours(piece);
        if (rnd(2) === 0) {
          // The user types '#' anywhere outside the generated text.
          const at = rnd(2) === 0 ? rnd(t.regionStart + 1) : t.regionEnd + rnd(d.text.length - t.regionEnd + 1);
          d.typeAt(at, '#');
          typed++;
        }
      }
      assert.equal(d.text.slice(t.regionStart, t.regionEnd), generated);
      const rest = d.text.slice(0, t.regionStart) + d.text.slice(t.regionEnd);
      assert.equal(rest.replace(/#/g, ''), original);
      assert.equal(rest.length - original.length, typed);
    }
  });
});
