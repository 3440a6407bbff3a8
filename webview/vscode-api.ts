// The webview's side of the host connection: typed postMessage and the per-view saved state.
import type { HostMessage, WebviewMessage } from '../src/chat/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the view keeps across reloads of the webview (the host keeps the rest). */
export interface ViewState {
  conversationId?: string;
  draft?: string;
}

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadViewState(): ViewState {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as ViewState) : {};
}

export function saveViewState(state: ViewState): void {
  api.setState(state);
}

/** One handler per host message type: a type without a handler does not compile. */
export type HostHandlers = { [K in HostMessage['type']]: (m: Extract<HostMessage, { type: K }>) => void };

/** Messages from the host (the one trusted sender of 'message' events here), each to its handler. */
export function onHostMessage(handlers: HostHandlers): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const m: unknown = event.data;
    if (typeof m !== 'object' || m === null) return;
    const type = (m as HostMessage).type;
    if (typeof type === 'string' && Object.hasOwn(handlers, type)) (handlers[type] as (m: HostMessage) => void)(m as HostMessage);
  });
}
