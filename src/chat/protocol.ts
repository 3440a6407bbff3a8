// The one message protocol between the chat webview and the extension host. Both sides import
// these types; the host validates every message it receives with parseWebviewMessage.
// No vscode import here: the webview bundle includes this file.

import type { CacheRef, Conversation, ErrorAction, Turn } from '../shared/conversation';

// The data types travel in these messages; the webview takes them from here.
export type { CacheRef, Conversation, ErrorAction, Turn, TurnError, TurnStatus, UsageSummary } from '../shared/conversation';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

export interface ModelOption {
  id: string;
  contextLength?: number;
  /** e.g. "thinking · 256K · $$" — shown beside the id. */
  detail?: string;
}

/** The model answers use, for the header. */
export interface ModelInfo {
  id: string;
  /** True when kimi.model is empty and this is the recommended available model. */
  recommended: boolean;
  detail?: string;
  /** Set when the configured model is no longer offered: the panel offers Select Model. */
  unavailable?: string;
}

// Narrow messages: a rename or a settings change touches only what it changes; only loading or
// switching a conversation (or another window changing its turns) sends its turns.
export type HostMessage =
  /** The conversation picker and the open conversation's cache chip. */
  | { type: 'conversations'; conversations: ConversationSummary[]; active: ConversationSummary; cache?: CacheRef }
  /** The open conversation with all its turns: on load, switch, or when its turns were replaced. */
  | { type: 'conversation'; conversation: Conversation; streaming: boolean }
  | { type: 'apiKey'; present: boolean }
  /** An assistant turn already shown (Continue) is reopened and streams on from its text. */
  | { type: 'turnStart'; conversationId: string; user?: Turn; assistant: Turn }
  | { type: 'delta'; conversationId: string; turnId: string; text: string }
  | { type: 'reasoning'; conversationId: string; turnId: string; text: string }
  | { type: 'webSearch'; conversationId: string; turnId: string; count: number }
  | { type: 'turnEnd'; conversationId: string; turn: Turn }
  /** `estimated`: a local estimate, with why (nothing was sent for counting, or counting failed). */
  | { type: 'draftTokens'; count: number | null; contextLength?: number; estimated?: string }
  | { type: 'models'; models: ModelOption[]; model: string; modelInfo?: ModelInfo }
  | { type: 'focusInput' };

export type CodeAction = 'copy' | 'insert' | 'replace';

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'regenerate' }
  | { type: 'continue' }
  | { type: 'setWebSearch'; on: boolean }
  | { type: 'editLast'; text: string }
  | { type: 'newConversation' }
  | { type: 'switchConversation'; id: string }
  | { type: 'renameConversation'; id: string; title: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'draft'; text: string }
  | { type: 'selectModel'; model: string }
  | { type: 'detachCache' }
  | { type: 'code'; action: CodeAction; code: string; language?: string }
  | { type: 'action'; action: ErrorAction };
