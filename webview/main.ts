// The chat panel in the webview. The host owns conversations and talks to Kimi; this page shows
// them and sends back what the user does, only through the typed protocol (src/chat/protocol.ts).
import '@vscode/codicons/dist/codicon.css';
import './chat.css';
import type { Conversation, HostMessage } from '../src/chat/protocol';
import { codeActionOf } from './code-blocks';
import { Composer } from './composer';
import { h } from './dom';
import { Header } from './header';
import { registerToolkit, ui } from './toolkit';
import { Transcript } from './transcript';
import { loadViewState, onHostMessage, post, saveViewState, type ViewState } from './vscode-api';
import { t } from './l10n';

registerToolkit();

let viewState: ViewState = loadViewState();
let conversation: Conversation | undefined;
let firstConversation = true;

const header = new Header({
  switchTo: (id) => post({ type: 'switchConversation', id }),
  create: () => post({ type: 'newConversation' }),
  rename: (id, title) => post({ type: 'renameConversation', id, title }),
  remove: (id) => post({ type: 'deleteConversation', id }),
  detachCache: () => post({ type: 'detachCache' }),
  selectModel: () => post({ type: 'action', action: 'selectModel' }),
});

const composer = new Composer({
  send: (text) => {
    saveDraft('');
    post({ type: 'send', text });
  },
  editLast: (text) => {
    saveDraft('');
    post({ type: 'editLast', text });
  },
  stop: () => post({ type: 'stop' }),
  draft: (text) => {
    saveDraft(text);
    post({ type: 'draft', text });
  },
  selectModel: (model) => post({ type: 'selectModel', model }),
  setWebSearch: (on) => post({ type: 'setWebSearch', on }),
});

const transcript = new Transcript({
  regenerate: () => post({ type: 'regenerate' }),
  editLast: (text) => composer.startEdit(text),
  continueLast: () => post({ type: 'continue' }),
  action: (action) => post({ type: 'action', action }),
});

const noKey = h('div', { class: 'no-key', hidden: true, role: 'status' }, h('span', {}, t('Kimi needs an API key from platform.moonshot.ai.')));
const setKey = h(ui.button, {}, t('Set API Key'));
setKey.addEventListener('click', () => post({ type: 'action', action: 'setApiKey' }));
noKey.append(setKey);

document.getElementById('app')!.replaceChildren(header.el, noKey, transcript.el, composer.el);

// Code-block buttons (in any answer) post the code they belong to.
transcript.el.addEventListener('click', (e) => {
  const hit = codeActionOf(e.target);
  if (hit) post({ type: 'code', ...hit });
});

// Esc stops the answer from anywhere in the panel.
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && composer.isStreaming && !e.defaultPrevented) {
    e.preventDefault();
    post({ type: 'stop' });
  }
});

function saveDraft(text: string): void {
  viewState = { ...viewState, draft: text };
  saveViewState(viewState);
}

function showConversation(m: Extract<HostMessage, { type: 'conversation' }>): void {
  const switched = conversation?.id !== m.conversation.id;
  conversation = m.conversation;
  transcript.show(m.conversation);
  composer.setWebSearch(m.conversation.webSearch === true);
  composer.setStreaming(m.streaming);
  if (switched) {
    // After a reload the view's own copy of the draft is the freshest (the host saves it debounced).
    const saved = firstConversation && viewState.conversationId === m.conversation.id ? viewState.draft : undefined;
    const draft = saved ?? m.conversation.draft ?? '';
    composer.setText(draft);
    if (saved !== undefined && saved !== (m.conversation.draft ?? '')) post({ type: 'draft', text: saved });
    viewState = { conversationId: m.conversation.id, draft };
    saveViewState(viewState);
  }
  firstConversation = false;
}

const ours = (m: { conversationId: string }) => m.conversationId === conversation?.id;

onHostMessage({
  conversations: (m) => header.set(m.conversations, m.active, m.cache),
  conversation: showConversation,
  apiKey: (m) => (noKey.hidden = m.present),
  turnStart: (m) => {
    if (!ours(m)) return;
    composer.setStreaming(true);
    transcript.turnStart(m.user, m.assistant);
  },
  delta: (m) => ours(m) && transcript.delta(m.turnId, m.text),
  reasoning: (m) => ours(m) && transcript.reasoning(m.turnId, m.text),
  webSearch: (m) => ours(m) && transcript.webSearch(m.turnId, m.count),
  turnEnd: (m) => {
    if (!ours(m)) return;
    composer.setStreaming(false);
    transcript.turnEnd(m.turn);
  },
  draftTokens: (m) => composer.setDraftTokens(m.count, m.contextLength, m.estimated),
  models: (m) => {
    composer.setModels(m.models, m.model);
    if (m.modelInfo) header.setModel(m.modelInfo);
  },
  focusInput: () => composer.focus(),
});

post({ type: 'ready' });
