// The chat panel's Content-Security-Policy, free of vscode so the e2e suite loads the panel under
// exactly this policy. Scripts only with the page's nonce; styles, fonts and images only from the
// webview bundle; no data: images (answers' images are never loaded); no <base>, no form submission.
// No 'unsafe-inline' styles: the toolkit's elements use constructed style sheets and the panel sets
// styles through the CSSOM (neither is governed by style-src); the one <style> element the toolkit
// makes (FAST's :focus-visible probe) carries the nonce it reads from <meta property="csp-nonce">,
// which is a separate nonce so that meta tag never reveals the script nonce.
export function chatCsp(cspSource: string, scriptNonce: string, styleNonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${scriptNonce}'`,
    `style-src ${cspSource} 'nonce-${styleNonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The <head> tags carrying the policy and the toolkit's style nonce. */
export function cspMeta(csp: string, styleNonce: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${csp}">\n<meta property="csp-nonce" content="${styleNonce}">`;
}
