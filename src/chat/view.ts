// The chat panel's webview: a strict Content-Security-Policy (./csp.ts),
// resources only from the webview bundle, and every message handed to the controller to validate.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { Views } from '../core/ids';
import type { ChatController } from './controller';
import { chatCsp, cspMeta } from './csp';
import type { HostMessage } from './protocol';

export const CHAT_VIEW_ID = Views.chat;

export function chatHtml(webview: vscode.Webview, bundle: vscode.Uri, nonce: string, styleNonce = randomBytes(16).toString('base64')): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'chat.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'chat.css'));
  const csp = chatCsp(webview.cspSource, nonce, styleNonce);
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
${cspMeta(csp, styleNonce)}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Kimi Chat</title>
</head>
<body>
<div id="app" data-l10n="${attribute(JSON.stringify(vscode.l10n.bundle ?? {}))}"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Text for a double-quoted HTML attribute. */
function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  /** Resolved views so far (tests check the panel really came back after a reload). */
  resolveCount = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
  ) {
    super();
    this.register(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.resolveCount++;
    const bundle = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [bundle] };
    view.webview.html = chatHtml(view.webview, bundle, randomBytes(16).toString('base64'));
    // The webview asks for its state with 'ready' each time it loads, so it needs no retained context.
    const attached = this.register(this.controller.attachView({ post: (m: HostMessage) => void view.webview.postMessage(m) }));
    const received = this.register(view.webview.onDidReceiveMessage((m: unknown) => void this.controller.handleMessage(m)));
    this.register(view.onDidDispose(() => {
      attached.dispose();
      received.dispose();
    }));
  }
}
