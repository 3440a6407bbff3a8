import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationStore, titleFrom, writeAtomic } from '../../../src/chat/store';
import type { Turn } from '../../../src/chat/protocol';

function turn(role: Turn['role'], content: string, status?: Turn['status']): Turn {
  const t: Turn = { id: `t-${Math.random().toString(36).slice(2)}`, role, content, createdAt: Date.now() };
  if (status) t.status = status;
  return t;
}

describe('ConversationStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-store-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('saves conversations and reads them back in a fresh store', async () => {
    const a = new ConversationStore(dir);
    await a.load();
    const c = await a.create();
    c.title = 'First';
    c.turns.push(turn('user', 'hello'), turn('assistant', 'hi there', 'done'));
    c.draft = 'unsent draft';
    await a.save(c);
    const b = new ConversationStore(dir);
    await b.load();
    assert.deepEqual(b.list().map((s) => s.title), ['First']);
    assert.equal(b.activeConversationId, c.id);
    const read = await b.open(c.id);
    assert.deepEqual(read, c);
  });

  it('lists the most recently updated first', async () => {
    const s = new ConversationStore(dir);
    await s.load();
    const one = await s.create({ title: 'one' });
    await new Promise((r) => setTimeout(r, 5));
    await s.create({ title: 'two' });
    await new Promise((r) => setTimeout(r, 5));
    one.turns.push(turn('user', 'bump'));
    await s.save(one);
    assert.deepEqual(s.list().map((x) => x.title), ['one', 'two']);
  });

  it('marks an answer left streaming on disk (closed mid-answer) as stopped, keeping its text', async () => {
    const a = new ConversationStore(dir);
    await a.load();
    const c = await a.create();
    c.turns.push(turn('user', 'q'), turn('assistant', 'partial ans', 'streaming'));
    a.saveSync(c);
    const b = new ConversationStore(dir);
    await b.load();
    const read = await b.open(c.id);
    assert.equal(read?.turns[1].status, 'stopped');
    assert.equal(read?.turns[1].content, 'partial ans');
  });

  it('a blocking save at exit is not overwritten by older writes still queued', async () => {
    const s = new ConversationStore(dir);
    await s.load();
    const c = await s.create();
    c.turns.push(turn('user', 'first'));
    const queued = s.save(c);
    c.turns.push(turn('assistant', 'latest', 'stopped'));
    s.saveSync(c);
    await queued;
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, `${c.id}.json`), 'utf8')) as { turns: Turn[] };
    assert.deepEqual(onDisk.turns.map((t) => t.content), ['first', 'latest']);
  });

  it('renames and deletes', async () => {
    const s = new ConversationStore(dir);
    await s.load();
    const a = await s.create({ title: 'a' });
    const b = await s.create({ title: 'b' });
    await s.rename(a.id, 'renamed');
    await s.delete(b.id);
    assert.equal(fs.existsSync(path.join(dir, `${b.id}.json`)), false);
    const fresh = new ConversationStore(dir);
    await fresh.load();
    assert.deepEqual(fresh.list().map((x) => x.title), ['renamed']);
    assert.equal(fresh.activeConversationId, a.id);
    assert.equal(await fresh.open(b.id), undefined);
  });

  it('rebuilds a missing or damaged index from the conversation files', async () => {
    const a = new ConversationStore(dir);
    await a.load();
    const c = await a.create({ title: 'survivor' });
    fs.writeFileSync(path.join(dir, 'index.json'), '{"version":1,"conversations":[{"id":"c-trunc');
    const b = new ConversationStore(dir);
    await b.load();
    assert.deepEqual(b.list().map((x) => x.id), [c.id]);
    fs.rmSync(path.join(dir, 'index.json'));
    const d = new ConversationStore(dir);
    await d.load();
    assert.deepEqual(d.list().map((x) => x.title), ['survivor']);
  });

  it('keeps writes to one file in order and leaves no temp files', async () => {
    const s = new ConversationStore(dir);
    await s.load();
    const c = await s.create();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      c.turns.push(turn('user', `q${i}`));
      writes.push(s.save(c));
    }
    await Promise.all(writes);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, `${c.id}.json`), 'utf8')) as { turns: Turn[] };
    assert.equal(onDisk.turns.length, 50);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('never exposes a half-written file: readers see the old or the new content', async () => {
    const file = path.join(dir, 'x.json');
    await writeAtomic(file, JSON.stringify({ v: 'old'.repeat(100_000) }));
    const big = JSON.stringify({ v: 'new'.repeat(300_000) });
    let reads = 0;
    const writing = writeAtomic(file, big);
    let done = false;
    void writing.then(() => (done = true));
    while (!done) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as { v: string };
      assert.ok(parsed.v.startsWith('old') || parsed.v.startsWith('new'));
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(reads > 0);
    assert.equal(fs.readFileSync(file, 'utf8'), big);
  });

  it('refuses ids that are not conversation ids (no path tricks)', async () => {
    const s = new ConversationStore(dir);
    await s.load();
    assert.equal(await s.open('../../etc/passwd'), undefined);
    assert.equal(await s.open('index'), undefined);
  });

  it('makes titles from the first line of a question', () => {
    assert.equal(titleFrom('  How do I\nsort?'), 'How do I');
    assert.equal(titleFrom('x'.repeat(100)).length, 58);
    assert.equal(titleFrom('   '), 'New conversation');
  });
});
