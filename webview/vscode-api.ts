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

// A record, so a new host message type cannot be forgotten here (the compiler asks for it).
const HOST_TYPES: Record<HostMessage['type'], true> = {
  state: true, turnStart: true, delta: true, reasoning: true, webSearch: true, turnEnd: true, draftTokens: true, models: true, focusInput: true,
};

/** Messages from the host (the one trusted sender of 'message' events here). */
export function onHostMessage(handler: (m: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const m: unknown = event.data;
    if (typeof m === 'object' && m !== null && Object.hasOwn(HOST_TYPES, (m as HostMessage).type)) handler(m as HostMessage);
  });
}
