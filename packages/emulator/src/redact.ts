/**
 * URLs as the emulator logs them: without the secrets a callback URL carries. The
 * callback-in node's URLs hold a token in `?token=` or as the segment after the node's
 * path, `<root>/tencent-ci/callback/<path>/<token>`; any URL may also hold userinfo.
 */

/** `…/tencent-ci/callback/<path>/` (kept) and what follows it (the token). */
const CALLBACK_TOKEN_PATH = /^(.*?\/tencent-ci\/callback\/[^/]+\/)(.+)$/i;

const MASK = '***';

/** `a=1&b&c=3` -> `a=***&***&c=***`: a parameter without `=` may itself be the secret. */
function redactQuery(search: string): string {
  if (search === '' || search === '?') return search;
  const parts = search
    .slice(1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? (part === '' ? part : MASK) : `${part.slice(0, eq)}=${MASK}`;
    });
  return `?${parts.join('&')}`;
}

/**
 * The URL with every query value, any userinfo, any fragment and the token segment of a
 * callback-in path replaced by `***`. Text that is not a URL becomes `***` as a whole.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MASK;
  }
  const userinfo = parsed.username || parsed.password ? `${MASK}${parsed.password ? `:${MASK}` : ''}@` : '';
  const path = parsed.pathname.replace(CALLBACK_TOKEN_PATH, `$1${MASK}`);
  const hash = parsed.hash ? `#${MASK}` : '';
  const origin = parsed.host ? `${parsed.protocol}//${userinfo}${parsed.host}` : parsed.protocol;
  return `${origin}${path}${redactQuery(parsed.search)}${hash}`;
}

/** `text` (an error message, say) with every copy of `url`, as given or as parsed, redacted. */
export function redactUrlIn(text: string, url: string): string {
  const shown = redactUrl(url);
  let href: string | undefined;
  try {
    href = new URL(url).href;
  } catch {
    href = undefined;
  }
  const copies = [url, href].filter((copy): copy is string => !!copy).sort((a, b) => b.length - a.length);
  return copies.reduce((out, copy) => out.split(copy).join(shown), text);
}
