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

const HOST_TYPES = new Set<HostMessage['type']>(['state', 'turnStart', 'delta', 'turnEnd', 'draftTokens', 'models', 'focusInput']);

/** Messages from the host (the one trusted sender of 'message' events here). */
export function onHostMessage(handler: (m: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const m: unknown = event.data;
    if (typeof m === 'object' && m !== null && HOST_TYPES.has((m as HostMessage).type)) handler(m as HostMessage);
  });
}
