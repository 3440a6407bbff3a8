// Switchable faults: queued by tests, each consumed by the next request it applies to (its path
// starts with `match`, default '/v1/'). status, urlNotFound, cut, fragment and slowFirstByte apply
// to any API request (a cut outside a stream drops the connection before any response); huge
// applies to chat completions; streamError, stall and slow wait for a streamed chat completion.
import type { Pieces } from './wire';

export type Fault = { match?: string; times?: number } & (
  | { kind: 'status'; status: number; type?: string; message?: string; retryAfter?: number; rawBody?: string }
  | { kind: 'urlNotFound' }
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'streamError'; afterChunks: number; errorType: string; message: string }
  | { kind: 'fragment'; pieces: Pieces }
  | { kind: 'slowFirstByte'; delayMs: number }
  | { kind: 'stall'; afterChunks: number; delayMs: number }
  | { kind: 'huge'; chars: number }
  | { kind: 'slow'; chunkDelayMs: number }
);

export type FaultKind = Fault['kind'];

/** What kind of request is asking: stream-only faults wait for a streamed chat completion. */
export interface FaultTarget {
  path: string;
  chat: boolean;
  stream: boolean;
}

const STREAM_ONLY: ReadonlySet<FaultKind> = new Set(['streamError', 'stall', 'slow']);
const CHAT_ONLY: ReadonlySet<FaultKind> = new Set(['huge']);

export function appliesTo(fault: Fault, target: FaultTarget): boolean {
  if (!target.path.startsWith(fault.match ?? '/v1/')) return false;
  if (STREAM_ONLY.has(fault.kind)) return target.chat && target.stream;
  if (CHAT_ONLY.has(fault.kind)) return target.chat;
  return true;
}

export class FaultQueue {
  private queue: Array<{ fault: Fault; left: number }> = [];

  add(fault: Fault): void {
    this.queue.push({ fault, left: Math.max(1, fault.times ?? 1) });
  }

  /** The first queued fault that applies to this request, counted as used once. */
  take(target: FaultTarget): Fault | undefined {
    const index = this.queue.findIndex((entry) => appliesTo(entry.fault, target));
    if (index < 0) return undefined;
    const entry = this.queue[index];
    if (--entry.left <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  pending(): Array<{ fault: Fault; left: number }> {
    return this.queue.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.queue = [];
  }
}

const KINDS: ReadonlySet<string> = new Set([
  'status', 'urlNotFound', 'cut', 'streamError', 'fragment', 'slowFirstByte', 'stall', 'huge', 'slow',
]);

/** Checks a fault that arrived as JSON over /__mock/faults; returns an error message or undefined. */
export function faultProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a fault must be a JSON object';
  const f = value as Record<string, unknown>;
  if (typeof f.kind !== 'string' || !KINDS.has(f.kind)) return `unknown fault kind ${String(f.kind)}`;
  const need = (field: string, type: 'number' | 'string'): string | undefined =>
    typeof f[field] === type ? undefined : `fault ${f.kind} needs ${field} (${type})`;
  switch (f.kind) {
    case 'status':
      return need('status', 'number');
    case 'cut':
      return need('afterChunks', 'number');
    case 'streamError':
      return need('afterChunks', 'number') ?? need('errorType', 'string') ?? need('message', 'string');
    case 'fragment':
      return f.pieces === 'bytes' || f.pieces === 'random' ? undefined : 'fault fragment needs pieces: bytes|random';
    case 'slowFirstByte':
      return need('delayMs', 'number');
    case 'stall':
      return need('afterChunks', 'number') ?? need('delayMs', 'number');
    case 'huge':
      return need('chars', 'number');
    case 'slow':
      return need('chunkDelayMs', 'number');
    default:
      return undefined;
  }
}
