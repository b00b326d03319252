/**
 * Response and callback bodies as the service writes them: XML (`<Response>…`, `<Error>…`,
 * empty elements as `<Name/>`), and JSON callbacks in Tencent's collapsed form (a repeated
 * element that occurs once is an object, empty elements are dropped, values are strings).
 */
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: true, processEntities: true });

export function xmlResponse(content: Record<string, unknown>): string {
  return builder.build({ Response: content }) as string;
}

const XML_DECLARATION = "<?xml version='1.0' encoding='utf-8' ?>";

/** An `<Error>` body; COS hosts add `<Resource>` (the host and path) after the Message (docs/api/errors.md). */
export function xmlError(code: string, message: string, requestId: string, traceId: string, resource?: string): string {
  const fields = resource === undefined ? {} : { Resource: resource };
  return `${XML_DECLARATION}${builder.build({ Error: { Code: code, Message: message, ...fields, RequestId: requestId, TraceId: traceId } })}`;
}

/** A COS XML document (`<ListBucketResult>…`), with the declaration COS writes. */
export function cosXml(content: Record<string, unknown>): string {
  return `${XML_DECLARATION}${builder.build(content) as string}`;
}

/** Tencent's JSON form of a body: single-element lists collapse, empties drop, scalars become strings. */
function collapse(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(collapse).filter((v) => v !== undefined);
    if (items.length === 0) return undefined;
    return items.length === 1 ? items[0] : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = collapse(v);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function callbackBody(detail: Record<string, unknown>, format: 'XML' | 'JSON'): { body: string; contentType: string } {
  const content = { EventName: 'TaskFinish', JobsDetail: detail };
  return format === 'JSON'
    ? { body: JSON.stringify(collapse(content)), contentType: 'application/json' }
    : { body: xmlResponse(content), contentType: 'application/xml' };
}
