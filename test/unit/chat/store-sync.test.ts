// Two VS Code windows share one conversation folder: two store instances on one directory stand in
// for them. Saves merge, deletions stay deleted, damaged files and failed saves are reported.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Conversation, Turn } from '../../../src/chat/protocol';
import { ConversationStore, type StoreChange, type UnreadableConversation } from '../../../src/chat/store';
import { jsonPieces } from '../../../src/chat/store-io';

let clock = Date.now();
function turn(role: Turn['role'], content: string, extra: Partial<Turn> = {}): Turn {
  return { id: `t-${Math.random().toString(36).slice(2)}`, role, content, createdAt: ++clock, ...extra };
}

function onDisk(dir: string, id: string): Conversation & { removedTurns?: string[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Conversation;
}

describe('ConversationStore across windows', () => {
  let dir: string;
  let a: ConversationStore;
  let b: ConversationStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kimi-store-sync-'));
    a = new ConversationStore(dir);
    await a.load();
  });
  afterEach(async () => {
    await a.flush();
    await b?.flush();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function second(): Promise<ConversationStore> {
    b = new ConversationStore(dir);
    await b.load();
    return b;
  }

  it('interleaved saves keep both windows\' turns and both windows\' other changes', async () => {
    const mine = await a.create({ title: 'shared' });
    mine.turns.push(turn('user', 'from A 1'));
    await a.save(mine);
    await second();
    const theirs = (await b.open(mine.id))!;
    theirs.turns.push(turn('user', 'from B 1'));
    theirs.draft = 'B is typing';
    await b.save(theirs);
    // A has not seen B's turn: its save must merge, not overwrite.
    mine.turns.push(turn('user', 'from A 2'));
    mine.title = 'renamed in A';
    await a.save(mine);
    theirs.turns.push(turn('assistant', 'from B 2', { status: 'done' }));
    await b.save(theirs);
    const expected = ['from A 1', 'from B 1', 'from A 2', 'from B 2'];
    assert.deepEqual(onDisk(dir, mine.id).turns.map((t) => t.content), expected);
    assert.equal(onDisk(dir, mine.id).title, 'renamed in A');
    assert.equal(onDisk(dir, mine.id).draft, 'B is typing');
    const changes: StoreChange[] = [];
    a.listener = { changed: (c) => changes.push(c) };
    await a.refresh();
    assert.deepEqual(mine.turns.map((t) => t.content), expected, 'A\'s open conversation took in B\'s turns (same object)');
    assert.deepEqual(changes.flatMap((c) => c.conversations), [mine.id]);
    assert.deepEqual(theirs.turns.map((t) => t.content), expected);
    assert.equal(theirs.title, 'renamed in A');
  });

  it('a conversation deleted in one window is not brought back by the other\'s save', async () => {
    const c = await a.create({ title: 'doomed' });
    const keep = await a.create({ title: 'kept' });
    await second();
    const inB = (await b.open(c.id))!;
    await a.delete(c.id);
    inB.turns.push(turn('user', 'B did not notice yet'));
    await b.save(inB);
    assert.equal(fs.existsSync(path.join(dir, `${c.id}.json`)), false, 'B\'s save did not write the file again');
    assert.deepEqual(b.list().map((s) => s.id), [keep.id]);
    const fresh = new ConversationStore(dir);
    await fresh.load();
    assert.deepEqual(fresh.list().map((s) => s.id), [keep.id]);
    assert.equal(await fresh.open(c.id), undefined);
  });

  it('another window\'s deletion reaches a refresh, even when a stale write put the file back', async () => {
    const c = await a.create({ title: 'doomed' });
    await second();
    await b.open(c.id);
    await a.delete(c.id);
    // A window without tombstone support (an older version) writes the file again.
    fs.writeFileSync(path.join(dir, `${c.id}.json`), JSON.stringify({ ...c, turns: [] }));
    const changes: StoreChange[] = [];
    b.listener = { changed: (x) => changes.push(x) };
    await b.refresh();
    assert.deepEqual(changes.flatMap((x) => x.deleted), [c.id]);
    assert.equal(b.list().some((s) => s.id === c.id), false);
    assert.equal(fs.existsSync(path.join(dir, `${c.id}.json`)), false);
  });

  it('a turn removed in one window (Regenerate) is not brought back by the other', async () => {
    const c = await a.create();
    const q = turn('user', 'question');
    const old = turn('assistant', 'old answer', { status: 'done' });
    c.turns.push(q, old);
    await a.save(c);
    await second();
    const inB = (await b.open(c.id))!;
    c.turns.pop();
    c.turns.push(turn('assistant', 'new answer', { status: 'done' }));
    await a.save(c);
    inB.draft = 'next question';
    await b.save(inB);
    assert.deepEqual(onDisk(dir, c.id).turns.map((t) => t.content), ['question', 'new answer']);
    assert.deepEqual(inB.turns.map((t) => t.content), ['question', 'new answer']);
    assert.deepEqual(onDisk(dir, c.id).removedTurns, [old.id]);
    // A fresh window reading the file does not show the tombstones as a field.
    const fresh = new ConversationStore(dir);
    await fresh.load();
    assert.equal('removedTurns' in (await fresh.open(c.id))!, false);
  });

  it('the window streaming an answer owns it: a stale copy elsewhere does not overwrite it', async () => {
    const c = await a.create();
    const answer = turn('assistant', 'par', { status: 'streaming' });
    c.turns.push(turn('user', 'q'), answer);
    await a.save(c);
    await second();
    const inB = (await b.open(c.id))!;
    answer.content = 'partial and then the rest';
    answer.status = 'done';
    await a.save(c);
    inB.draft = 'typing in B';
    await b.save(inB);
    assert.equal(onDisk(dir, c.id).turns[1].content, 'partial and then the rest');
    assert.equal(onDisk(dir, c.id).turns[1].status, 'done');
    answer.usage = { prompt: 1, cached: 0, completion: 2 };
    await a.save(c);
    assert.equal(onDisk(dir, c.id).draft, 'typing in B');
  });

  it('keeps fields it does not know (a newer version\'s) on turns and conversations', async () => {
    const c = await a.create();
    c.turns.push({ ...turn('assistant', 'answer', { status: 'done' }), reasoning: 'thought about it' } as Turn);
    (c as Conversation & { future?: unknown }).future = { x: 1 };
    await a.save(c);
    await second();
    const inB = (await b.open(c.id))!;
    inB.turns.push(turn('user', 'more'));
    await b.save(inB);
    const saved = onDisk(dir, c.id) as Conversation & { future?: unknown };
    assert.equal((saved.turns[0] as Turn & { reasoning?: string }).reasoning, 'thought about it');
    assert.deepEqual(saved.future, { x: 1 });
  });

  it('a list refresh shows a conversation another window created', async () => {
    await second();
    const changes: StoreChange[] = [];
    b.listener = { changed: (x) => changes.push(x) };
    const c = await a.create({ title: 'made in A' });
    await b.refresh();
    assert.ok(changes.some((x) => x.list));
    assert.ok(b.list().some((s) => s.id === c.id && s.title === 'made in A'));
  });

  it('a truncated conversation file is listed and reported as unreadable, never skipped', async () => {
    const good = await a.create({ title: 'good' });
    const id = 'c-broken-00000001';
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ ...good, id, title: 'lost?' }).slice(0, 40));
    const reports: UnreadableConversation[] = [];
    b = new ConversationStore(dir);
    b.listener = { unreadable: (u) => reports.push(u) };
    await b.load();
    assert.deepEqual(reports.map((r) => [r.id, r.file]), [[id, path.join(dir, `${id}.json`)]]);
    assert.ok(reports[0].error.length > 0);
    assert.ok(b.list().some((s) => s.id === id && /could not be read/i.test(s.title)), JSON.stringify(b.list()));
    assert.equal(await b.open(id), undefined);
    assert.equal(reports.length, 2, 'trying to open it reports it again');
    await b.refresh();
    assert.equal(reports.length, 2, 'a refresh does not repeat the report for the same file');
    fs.writeFileSync(path.join(dir, `${id}.json`), '{"id":"c-broken-0');
    await b.refresh();
    assert.equal(reports.length, 3, 'the file changed and is still unreadable: reported again');
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ ...good, id, title: 'repaired' }));
    await b.refresh();
    assert.equal(reports.length, 3);
    assert.ok(b.list().some((s) => s.id === id && s.title === 'repaired'), 'a repaired file is listed with its title');
    // A conversation the index knows whose file got damaged: reported when opened.
    fs.writeFileSync(path.join(dir, `${good.id}.json`), '{"id":');
    const c = new ConversationStore(dir);
    const later: UnreadableConversation[] = [];
    c.listener = { unreadable: (u) => later.push(u) };
    await c.load();
    assert.equal(await c.open(good.id), undefined);
    assert.deepEqual(later.map((r) => r.id), [good.id]);
  });

  it('a failing save is reported once and the conversation stays in memory', async () => {
    const c = await a.create();
    const failures: unknown[] = [];
    a.listener = { saveFailed: (_c, e) => failures.push(e) };
    // A directory where the file should be: the rename fails as on a full or read-only disk.
    fs.rmSync(path.join(dir, `${c.id}.json`));
    fs.mkdirSync(path.join(dir, `${c.id}.json`, 'x'), { recursive: true });
    c.turns.push(turn('user', 'keep me'));
    await assert.rejects(a.save(c));
    c.turns.push(turn('assistant', 'me too', { status: 'done' }));
    await assert.rejects(a.save(c));
    assert.equal(failures.length, 1, 'shown once');
    assert.deepEqual((await a.open(c.id))?.turns.map((t) => t.content), ['keep me', 'me too']);
    fs.rmSync(path.join(dir, `${c.id}.json`), { recursive: true });
    await a.save(c);
    assert.deepEqual(onDisk(dir, c.id).turns.map((t) => t.content), ['keep me', 'me too']);
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('writes one line per turn (one JSON document) and reads that and the one-line files of older versions', async () => {
    const c = await a.create({ title: 'lines' });
    c.turns.push(turn('user', 'q\nwith a newline'), turn('assistant', 'a "quoted" 😀', { status: 'done' }));
    await a.save(c);
    const text = fs.readFileSync(path.join(dir, `${c.id}.json`), 'utf8');
    assert.equal(text.split('\n').length, 4, text);
    assert.deepEqual(JSON.parse(text), { ...c });
    const old = { ...c, id: 'c-old-00000001', title: 'old', turns: c.turns.map((t) => ({ ...t })) };
    fs.writeFileSync(path.join(dir, `${old.id}.json`), JSON.stringify(old));
    await second();
    assert.deepEqual(await b.open(old.id), old);
    assert.deepEqual(await b.open(c.id), c);
  });

  it('writes large values in pieces that add up to JSON.stringify', () => {
    const emoji = '😀'.repeat(200_000); // surrogate pairs across every piece boundary
    const value = { a: 'x"\\\n'.repeat(100_000), b: [1, undefined, null, { c: emoji, d: undefined }], e: true, f: 1.5 };
    const text = [...jsonPieces(value)].join('');
    assert.equal(text, JSON.stringify(value));
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    const odd = 'a' + emoji;
    assert.equal(JSON.parse([...jsonPieces(odd)].join('')), odd);
  });
});
