import * as assert from 'node:assert/strict';
import { RunSlot, type StoppableRun } from '../../../src/chat/run-slot';

/** A run that ends only when stopped (as an answer does when Stop aborts its request). */
class FakeRun implements StoppableRun {
  stops = 0;
  private end!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.end = resolve));
  constructor(private readonly slot: RunSlot<FakeRun>, readonly name: string, readonly log: string[]) {
    slot.begin(this);
    log.push(`start ${name}`);
  }
  stop(): void {
    if (this.stops++) return;
    // Ends a little later, as a real run does after its abort and its last save.
    setTimeout(() => {
      this.log.push(`end ${this.name}`);
      this.slot.end(this);
      this.end();
    }, 5);
  }
}

describe('RunSlot: one answer at a time', () => {
  it('stops the running answer and starts the next only after it ended', async () => {
    const slot = new RunSlot<FakeRun>();
    const log: string[] = [];
    const a = await slot.next(() => new FakeRun(slot, 'a', log));
    const b = await slot.next(() => new FakeRun(slot, 'b', log));
    assert.equal(a.stops, 1);
    assert.deepEqual(log, ['start a', 'end a', 'start b']);
    assert.equal(slot.current, b);
  });

  it('two callers at once: the runs never overlap and the last one is left running', async () => {
    const slot = new RunSlot<FakeRun>();
    const log: string[] = [];
    await slot.next(() => new FakeRun(slot, 'a', log));
    const [b, c] = await Promise.all([slot.next(() => new FakeRun(slot, 'b', log)), slot.next(() => new FakeRun(slot, 'c', log))]);
    // begin() throws if a run starts while another runs, so reaching here means no overlap.
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c']);
    assert.equal(b.stops, 1);
    assert.equal(slot.current, c);
    assert.equal(c.stops, 0);
  });

  it('begin refuses a second run while one runs; stopAndWait with none is a no-op', async () => {
    const slot = new RunSlot<FakeRun>();
    await slot.stopAndWait();
    new FakeRun(slot, 'a', []);
    assert.throws(() => new FakeRun(slot, 'b', []), /already running/);
  });
});
