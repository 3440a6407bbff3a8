// How one window's conversation is merged with the version another window saved. Turns merge by id:
// a turn this window created is its own (only it streams into it), every other turn is taken as the
// file has it. A turn removed in one window (Regenerate, Edit & Resend) is kept as a tombstone in the
// file, so a window that still has it does not bring it back. Other fields merge three-way against
// the version last synced: what this window changed since wins, the rest comes from the file.
// No vscode import: unit-tested in plain Node.
import type { Conversation, Turn } from './protocol';

/** A conversation as stored: the tombstones of removed turns travel with it. */
export type StoredConversation = Conversation & { removedTurns?: string[] };

/** What this window last wrote or read of one conversation file. */
export interface SyncState {
  /** Of the file as last written or read ('' while never written). */
  fingerprint: string;
  /** Turn ids of that version: one missing in memory now was removed in this window. */
  known: Set<string>;
  /** Turn ids that came from the file rather than from this window. */
  foreign: Set<string>;
  /** Removed turn ids (tombstones). */
  removed: Set<string>;
  /** JSON of each other field in that version. */
  meta: Map<string, string>;
}

export function newSyncState(): SyncState {
  return { fingerprint: '', known: new Set(), foreign: new Set(), removed: new Set(), meta: new Map() };
}

const NOT_META = new Set(['turns', 'removedTurns', 'id']);

function metaOf(c: object): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(c)) if (!NOT_META.has(key) && value !== undefined) out.set(key, JSON.stringify(value));
  return out;
}

/** Notes removals made in memory since the last sync as tombstones. */
export function noteLocalRemovals(local: Conversation, state: SyncState): void {
  if (state.known.size === 0) return;
  const present = new Set(local.turns.map((t) => t.id));
  for (const id of state.known) if (!present.has(id)) state.removed.add(id);
}

/** The state right after this window wrote `written` (tombstones included) to the file. */
export function markWritten(state: SyncState, written: StoredConversation, fingerprint: string): void {
  state.fingerprint = fingerprint;
  state.known = new Set(written.turns.map((t) => t.id));
  state.meta = metaOf(written);
}

/** The state after reading a conversation this window did not have yet. */
export function adoptRead(state: SyncState, read: StoredConversation, fingerprint: string): void {
  state.fingerprint = fingerprint;
  state.known = new Set(read.turns.map((t) => t.id));
  state.foreign = new Set(state.known);
  state.removed = new Set(read.removedTurns ?? []);
  state.meta = metaOf(read);
}

/**
 * Merges the file's version into `local`, in place (the controller holds this object and the turn
 * it streams into). Returns true when `local` now has something the file lacks (it should be saved).
 */
export function mergeFromDisk(local: Conversation, disk: StoredConversation, state: SyncState, fingerprint: string): boolean {
  noteLocalRemovals(local, state);
  for (const id of disk.removedTurns ?? []) state.removed.add(id);
  const diskTurns = new Map(disk.turns.map((t) => [t.id, t]));
  const localIds = new Set(local.turns.map((t) => t.id));
  let ahead = false;
  let added = false;
  const merged: Turn[] = [];
  for (const turn of local.turns) {
    if (state.removed.has(turn.id)) continue;
    const theirs = diskTurns.get(turn.id);
    if (theirs && state.foreign.has(turn.id)) merged.push(theirs);
    else {
      merged.push(turn);
      if (!theirs) ahead = true;
    }
  }
  for (const turn of disk.turns) {
    if (localIds.has(turn.id) || state.removed.has(turn.id)) continue;
    merged.push(turn);
    state.foreign.add(turn.id);
    added = true;
  }
  // Turns of two windows interleave by when they were asked (a stable sort keeps each window's order).
  if (added) merged.sort((a, b) => a.createdAt - b.createdAt);
  local.turns.length = 0;
  for (const turn of merged) local.turns.push(turn);
  if ([...state.removed].some((id) => !(disk.removedTurns ?? []).includes(id))) ahead = true;

  const theirs = metaOf(disk);
  const mine = metaOf(local);
  const record = local as unknown as Record<string, unknown>;
  for (const key of new Set([...theirs.keys(), ...mine.keys()])) {
    const changedHere = mine.get(key) !== state.meta.get(key);
    if (changedHere) {
      if (mine.get(key) !== theirs.get(key)) ahead = true;
      continue;
    }
    if (theirs.has(key)) record[key] = (disk as unknown as Record<string, unknown>)[key];
    else delete record[key];
  }
  local.updatedAt = Math.max(local.updatedAt, disk.updatedAt);
  state.fingerprint = fingerprint;
  state.known = new Set(local.turns.map((t) => t.id));
  state.meta = theirs;
  return ahead;
}

/** The conversation as it is written: its fields, its turns, and the tombstones. */
export function toStored(conversation: Conversation, state: SyncState): StoredConversation {
  const stored: StoredConversation = { ...conversation, turns: conversation.turns.slice() };
  if (state.removed.size) stored.removedTurns = [...state.removed];
  else delete stored.removedTurns;
  return stored;
}
