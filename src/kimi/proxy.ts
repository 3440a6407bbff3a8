// Which proxy (if any) to use for the client's single origin: the explicit option wins; otherwise
// HTTPS_PROXY (then HTTP_PROXY) for https targets and HTTP_PROXY for http targets, unless NO_PROXY
// names the host. The lower-case spellings are honoured too.

type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v && v.trim() ? v.trim() : undefined;
}

export function resolveProxy(target: URL, explicit: string | undefined, env: Env = process.env): string | undefined {
  if (explicit !== undefined) return explicit.trim() || undefined;
  const fromEnv =
    target.protocol === 'https:' ? (envValue(env, 'HTTPS_PROXY') ?? envValue(env, 'HTTP_PROXY')) : envValue(env, 'HTTP_PROXY');
  if (!fromEnv) return undefined;
  return bypassesProxy(target, envValue(env, 'NO_PROXY')) ? undefined : fromEnv;
}

/** NO_PROXY: comma/space separated hosts, `.suffix` or `*.suffix` domains, optional `:port`, `*` for all. */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | undefined;
    const m = /^(.*?):(\d+)$/.exec(entry);
    if (m && !entry.startsWith('[') && entry.split(':').length === 2) [, name, entryPort] = m;
    else if (/^\[.*\]:(\d+)$/.test(entry)) [name, entryPort] = [entry.slice(1, entry.indexOf(']')), entry.slice(entry.indexOf(']') + 2)];
    name = name.replace(/^\[|\]$/g, '');
    if (entryPort && entryPort !== port) continue;
    if (name.startsWith('*.')) name = name.slice(1);
    if (name.startsWith('.')) {
      if (host.endsWith(name) || host === name.slice(1)) return true;
    } else if (host === name || host.endsWith(`.${name}`)) {
      return true;
    }
  }
  return false;
}
