// Follows the region a streamed insertion occupies while the document changes around it, so the
// next batch lands right after the text already inserted even when the user types elsewhere.
// Pure offsets (no vscode) so it is unit-tested in plain Node.

export interface TextChange {
  /** Offset of the replaced range in the document before this change. */
  offset: number;
  /** Length of the replaced range. */
  removed: number;
  /** The inserted text. */
  text: string;
}

export class InsertionTracker {
  /**
   * Our own edits, in the order they were applied, not yet seen in a change event. The editor
   * rejects an edit made against an outdated document version, so a foreign change never lands
   * between computing an edit and applying it; the caller retries with fresh offsets instead.
   */
  private readonly expected: TextChange[] = [];
  /** Set when someone else edited inside the region. */
  touchedInside = false;
  /** Set when someone else edited the document after our first edit (our edits are then not one undo step). */
  interleaved = false;

  /**
   * @param start offset where the insertion begins
   * @param length length of the region the first edit replaces (the selection for Edit Selection)
   */
  constructor(
    private start: number,
    private length: number,
  ) {}

  get regionStart(): number {
    return this.start;
  }

  get regionEnd(): number {
    return this.start + this.length;
  }

  /** True while the region still holds the original text the first edit replaces. */
  private replacingOriginal = true;

  /**
   * The edit that appends `text` now: the first one replaces the original region (an empty one for
   * Generate at Cursor), later ones insert at the region's end. Call `applied` when it is sent.
   */
  nextEdit(text: string): TextChange {
    if (this.replacingOriginal) return { offset: this.start, removed: this.length, text };
    return { offset: this.regionEnd, removed: 0, text };
  }

  /** Records an edit we are about to apply; its change event is then recognised as ours. */
  expect(edit: TextChange): void {
    this.expected.push(edit);
  }

  /** Forgets an expected edit that was not applied (the editor refused it). */
  unexpect(edit: TextChange): void {
    const i = this.expected.indexOf(edit);
    if (i >= 0) this.expected.splice(i, 1);
  }

  /** Feeds one document change, in the order the document applied them. */
  onChange(change: TextChange): void {
    const head = this.expected[0];
    if (head && head.offset === change.offset && head.removed === change.removed && head.text === change.text) {
      this.expected.shift();
      this.applyOwn(change);
      return;
    }
    this.applyForeign(change);
  }

  private applyOwn(change: TextChange): void {
    if (this.replacingOriginal) {
      this.replacingOriginal = false;
      this.start = change.offset;
      this.length = change.text.length;
      return;
    }
    // An append (removed 0), or the final rewrite replacing the whole region.
    this.length += change.text.length - change.removed;
  }

  private applyForeign(change: TextChange): void {
    if (!this.replacingOriginal) this.interleaved = true;
    const end = change.offset + change.removed;
    const delta = change.text.length - change.removed;
    const regionEnd = this.regionEnd;
    if (end <= this.start) {
      // Before the region; typing right at its start stays in front of it.
      this.start += delta;
    } else if (change.offset >= regionEnd) {
      // After the region, or typing right at its end: the user's text stays after ours.
    } else {
      // Inside or across the region: keep the union so later batches still follow our text.
      this.touchedInside = true;
      const newStart = Math.min(this.start, change.offset);
      const newEnd = Math.max(regionEnd, end) + delta;
      this.start = newStart;
      this.length = Math.max(0, newEnd - newStart);
    }
  }
}
