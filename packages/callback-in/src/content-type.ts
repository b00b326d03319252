/**
 * Which Content-Type headers a callback may carry. Tencent documents XML callbacks as
 * `application/xml` and does not document the JSON callback's type, so the body itself is
 * sniffed: any XML or JSON type, `text/plain` and no type at all are read; a form, a
 * multipart upload or anything else is refused (415) before its body is read.
 */

/** A media type as RFC 9110 spells one (type/subtype, token characters). */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/;

/** The header's media type, lower-cased and without parameters; '' when there is none. */
function mediaTypeOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return String(value ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/** True when a callback with this Content-Type header is read. */
export function acceptsContentType(header: string | string[] | undefined): boolean {
  const type = mediaTypeOf(header);
  if (type === '') return true;
  if (!MEDIA_TYPE.test(type)) return false;
  return (
    type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml') || type === 'application/json' || type.endsWith('+json') || type === 'text/plain'
  );
}

/** The media type as a warning may show it: only when it looks like one. */
export function shownMediaType(header: string | string[] | undefined): string {
  const type = mediaTypeOf(header);
  return MEDIA_TYPE.test(type) ? type : '?';
}
