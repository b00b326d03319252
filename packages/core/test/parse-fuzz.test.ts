/**
 * Property: whatever the body, parseResponse and parseCallback throw nothing but a CiError
 * with a parsing code (or the service error the body itself describes), and parseErrorBody
 * never throws. Bodies are seeded mutations of the fixtures and random bytes; a failure
 * prints the seed and case number to replay it.
 */
import assert from 'node:assert/strict';

import { CiError, ErrorCodes, parseCallback, parseErrorBody, parseResponse, type ParseOptions } from '../src';
import { mutatedBody } from './helpers/mutate';
import { Rng } from './helpers/random';

const SEED = 20_260_101;
const MUTATED_CASES = 3000;
const RANDOM_CASES = 1000;

/** The codes of the library's own parse failures. */
const PARSE_CODES = new Set<string>([ErrorCodes.MalformedResponse, ErrorCodes.BodyTooLarge, ErrorCodes.BodyTooDeep, ErrorCodes.TooManyJobs]);

function randomBytes(rng: Rng): Uint8Array {
  const bytes = new Uint8Array(rng.int(0, 300));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = rng.int(0, 255);
  if (bytes.length > 0 && rng.chance(0.5)) bytes[0] = rng.pick([0x3c, 0x7b]); // `<` or `{`: past the format sniffer
  return bytes;
}

type Outcome = 'ok' | string;

/**
 * Runs one parser on a body and returns 'ok' or the CiError's code; fails the test for any
 * other throw, or for a code that is neither a parse code nor the body's own service error.
 */
function outcome(parse: () => unknown, body: string | Uint8Array, options: ParseOptions, where: string): Outcome {
  try {
    parse();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof CiError, `${where}: threw ${String(err)} (${(err as Error)?.name}), not a CiError`);
    if (!PARSE_CODES.has(err.code)) {
      assert.equal(parseErrorBody(body, options)?.code, err.code, `${where}: code ${err.code} is neither a parse code nor the body's error`);
    }
    return err.code;
  }
}

describe('parsing fuzz (seeded)', () => {
  it(`${MUTATED_CASES} mutated fixtures and ${RANDOM_CASES} random byte strings: only CiErrors with known codes`, function () {
    this.timeout(60_000);
    const rng = new Rng(SEED);
    const seen = new Map<Outcome, number>();
    for (let i = 0; i < MUTATED_CASES + RANDOM_CASES; i += 1) {
      const body = i < MUTATED_CASES ? mutatedBody(rng) : randomBytes(rng);
      const options: ParseOptions = { ...(rng.chance(0.1) ? { maxBytes: 800 } : {}), ...(rng.chance(0.15) ? { maxJobs: 0 } : {}) };
      const where = `seed ${SEED}, case ${i}`;
      for (const parse of [() => parseResponse(body, options), () => parseCallback(body, options)]) {
        const result = outcome(parse, body, options, where);
        seen.set(result, (seen.get(result) ?? 0) + 1);
      }
      assert.doesNotThrow(() => parseErrorBody(body, options), where);
    }
    // The generator reaches every path: bodies that parse, and each kind of refusal.
    for (const code of ['ok', ErrorCodes.MalformedResponse, ErrorCodes.BodyTooDeep, ErrorCodes.BodyTooLarge, ErrorCodes.TooManyJobs]) {
      assert.ok((seen.get(code) ?? 0) > 0, `no case ended in ${code}: ${JSON.stringify([...seen])}`);
    }
  });
});
