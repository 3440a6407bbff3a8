// Whether the API key may go to an endpoint. A plain-http endpoint on another machine would carry the
// key in clear text: the user is asked once (modal); a yes is remembered for that URL, a no for the session.
import * as vscode from 'vscode';
import { dialogs } from './dialogs';
import { displayUrl, isInsecureRemote } from './urls';

const ALLOWED_HTTP_ENDPOINTS = 'kimi.allowedHttpEndpoints';

export class EndpointTrust {
  /** Plain-http endpoints whose question is open or was declined this session (asked once). */
  private readonly questions = new Map<string, Thenable<boolean>>();

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  confirm(baseUrl: string): Thenable<boolean> {
    if (!isInsecureRemote(baseUrl)) return Promise.resolve(true);
    if (this.allowed().includes(baseUrl)) return Promise.resolve(true);
    let question = this.questions.get(baseUrl);
    if (!question) {
      question = this.ask(baseUrl);
      this.questions.set(baseUrl, question);
    }
    return question;
  }

  private allowed(): string[] {
    return this.globalState.get<string[]>(ALLOWED_HTTP_ENDPOINTS, []);
  }

  private ask(baseUrl: string): Thenable<boolean> {
    const shown = displayUrl(baseUrl);
    this.log.warn(`kimi.baseUrl ${shown} is plain http to another machine: asking before the API key is sent.`);
    return dialogs
      .confirm(
        vscode.l10n.t('Send your Kimi API key unencrypted to {0}?', shown),
        vscode.l10n.t('kimi.baseUrl uses http:// to a host that is not this machine, so the API key and your prompts would cross the network in clear text. Use https:// unless you trust every network in between.'),
        vscode.l10n.t('Send Unencrypted'),
      )
      .then(async (ok) => {
        if (ok) {
          await this.globalState.update(ALLOWED_HTTP_ENDPOINTS, [...this.allowed(), baseUrl]);
          this.questions.delete(baseUrl);
        }
        return ok;
      });
  }
}
