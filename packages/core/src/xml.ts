/**
 * The one configured fast-xml-parser parser and builder. Text stays text (no number
 * guessing), attributes are ignored (the API uses none), DOCTYPE is refused (the API
 * never sends one, so entity declarations can never expand), and element names that
 * could pollute prototypes (`__proto__`, `constructor`) make the parser refuse the body.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkDepth, DEFAULT_MAX_DEPTH, xmlDepth } from './depth';
import { CiError, ErrorCodes } from './errors';

/** Bodies larger than this are refused unless a caller sets another limit. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
});

const builder = new XMLBuilder({
  ignoreAttributes: true,
  format: false,
  suppressEmptyNode: false,
  processEntities: true,
});

export function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/** Refuses bodies over `maxBytes` with a CiError `BodyTooLarge`. */
export function checkBodySize(body: string | Uint8Array, maxBytes = DEFAULT_MAX_BODY_BYTES): void {
  const size = bodyBytes(body);
  if (size > maxBytes) {
    throw new CiError({ code: ErrorCodes.BodyTooLarge, message: `Body of ${size} bytes is larger than the ${maxBytes}-byte limit` });
  }
}

function malformed(reason: string): CiError {
  return new CiError({ code: ErrorCodes.MalformedResponse, message: `Malformed XML body: ${reason}` });
}

/**
 * Parses one XML document into plain objects; throws CiError `MalformedResponse` for anything
 * that is not well-formed, safe XML, `BodyTooLarge` over `maxBytes` and `BodyTooDeep` for
 * elements nested deeper than `maxDepth`, and never anything but a CiError.
 */
export function parseXml(body: string | Uint8Array, maxBytes = DEFAULT_MAX_BODY_BYTES, maxDepth = DEFAULT_MAX_DEPTH): Record<string, unknown> {
  checkBodySize(body, maxBytes);
  const text = bodyText(body);
  if (maxDepth !== Number.POSITIVE_INFINITY) checkDepth(xmlDepth(text), maxDepth);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw malformed('DOCTYPE and entity declarations are not accepted');
  try {
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw malformed(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof CiError) throw err;
    throw malformed(err instanceof Error ? err.message : 'unreadable');
  }
}

/** Serialises `{ [rootName]: content }`; text is escaped, arrays become repeated elements. */
export function buildXml(rootName: string, content: Record<string, unknown>): string {
  return builder.build({ [rootName]: content }) as string;
}
