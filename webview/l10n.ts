// The panel's visible strings go through t(), with the host's localisation: the host puts
// vscode.l10n's bundle (English message → translation; none for English) on #app as data-l10n.
// Messages are the English text; `{0}`, `{1}` are replaced by the arguments, as vscode.l10n.t does.

function loadBundle(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(document.getElementById('app')?.dataset.l10n || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const bundle = loadBundle();

export function t(message: string, ...args: (string | number)[]): string {
  const text = Object.hasOwn(bundle, message) && typeof bundle[message] === 'string' ? bundle[message]! : message;
  return text.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole));
}
