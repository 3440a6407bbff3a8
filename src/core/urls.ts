// Pure URL checks for where the key goes (no vscode import, so unit tests run them in plain Node).

/** A URL for the log: scheme, host, port and path only (no user:password, query or fragment). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The host (and port) of a URL, for messages ("Checking the API key with api.moonshot.cn…"). */
export function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** True for a plain-http endpoint that is not this machine: the key would cross the network in clear text. */
export function isInsecureRemote(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1');
}

/** True when the URL's host is covered by a no-proxy list (exact host, `.suffix`, `*.suffix` or `*`). */
export function hostMatches(url: string, patterns: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return patterns.some((raw) => {
    const p = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (!p) return false;
    if (p === '*') return true;
    const suffix = p.replace(/^\*/, '');
    if (suffix.startsWith('.')) return host.endsWith(suffix) || host === suffix.slice(1);
    return host === p;
  });
}
