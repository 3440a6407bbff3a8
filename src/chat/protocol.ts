// The one message protocol between the chat webview and the extension host. Both sides import
// these types; the host validates every message it receives with parseWebviewMessage.
// No vscode import here: the webview bundle includes this file.

export interface UsageSummary {
  prompt: number;
  cached: number;
  completion: number;
  /** Of the completion tokens, those spent reasoning (when the server reports them). */
  reasoning?: number;
}

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** A next step offered with an error: each maps to a fixed host action, never a free command id. */
export type ErrorAction = 'setApiKey' | 'retry' | 'showLog' | 'selectModel' | 'detachCache';

export interface TurnError {
  message: string;
  actions: ErrorAction[];
}

export interface Turn {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status?: TurnStatus;
  model?: string;
  usage?: UsageSummary;
  error?: TurnError;
  /** The model's reasoning (`reasoning_content`) exactly as returned: shown, and replayed where the model requires it. */
  reasoning?: string;
  /** How long the model reasoned before answering, in ms. */
  thinkingMs?: number;
  /** 'length': cut off at the token limit (the answer can be continued). */
  finishReason?: string;
  /** How many `$web_search` round trips this answer made. */
  webSearches?: number;
}

/** A conversation attached to a context cache sends {role:'cache'} first. */
export interface CacheRef {
  kind: 'cache' | 'tag';
  /** Cache id or tag name. */
  id: string;
  label?: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  cache?: CacheRef;
  turns: Turn[];
  draft?: string;
  /** Offer the built-in `$web_search` tool in this conversation (billed per call). */
  webSearch?: boolean;
}

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

export type HostMessage =
  | {
      type: 'state';
      conversations: ConversationSummary[];
      conversation: Conversation;
      models: ModelOption[];
      model: string;
      modelInfo?: ModelInfo;
      streaming: boolean;
      hasApiKey: boolean;
    }
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
