// What a route handler gets, and what it may return.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults';
import type { ServerState } from './state';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path parameters, in the order the route's pattern captures them. */
  params: string[];
  body: unknown;
  state: ServerState;
  /** A fault this request consumed that the handler must act out (fragment, cut, stall, ...). */
  fault?: Fault;
  /** Headers every response carries (Msh-Request-Id). */
  baseHeaders: Record<string, string>;
}

/** A JSON reply; a handler that wrote the response itself (a stream) returns nothing. */
export interface JsonReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<JsonReply | void> | JsonReply | void;
