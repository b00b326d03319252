/** Seeded mutations of the fixture bodies, for the parsing fuzz tests. */
import { readdirSync } from 'node:fs';
import { fixture, FIXTURES_DIR } from './fixtures';
import { codePoints, type Rng } from './random';

/** Characters that matter to the XML and JSON grammars, plus some that do not. */
const NOISE = codePoints('<>/?!-[]{}"\':,\\&;#=x0 \n\tCDATAResponseJobsDetailError你😀\u0000\uFEFF');

export const FIXTURE_BODIES = readdirSync(FIXTURES_DIR)
  .filter((f) => /\.(xml|json)$/.test(f) && f !== 'signature-vectors.json')
  .map((f) => fixture(f));

function mutate(rng: Rng, text: string): string {
  const at = () => rng.int(0, text.length);
  switch (rng.int(0, 7)) {
    case 0: {
      // delete a slice
      const from = at();
      return text.slice(0, from) + text.slice(from + rng.int(1, 20));
    }
    case 1: {
      // insert noise
      const from = at();
      return text.slice(0, from) + rng.string(NOISE, 1, 10) + text.slice(from);
    }
    case 2: {
      // duplicate a slice somewhere else
      const from = at();
      const slice = text.slice(from, from + rng.int(1, 200));
      const to = at();
      return text.slice(0, to) + slice + text.slice(to);
    }
    case 3: // truncate
      return text.slice(0, at());
    case 4: {
      // replace one character
      const from = at();
      return text.slice(0, from) + rng.pick(NOISE) + text.slice(from + 1);
    }
    case 5: {
      // nest deeply at one point
      const from = at();
      const open = rng.pick(['[', '{"a":', '<a>', '<a x="/>">']);
      const close = open === '[' ? ']' : open === '{"a":' ? '}' : '</a>';
      const levels = rng.chance(0.1) ? rng.int(5000, 20_000) : rng.int(1, 300);
      return text.slice(0, from) + open.repeat(levels) + (rng.chance(0.5) ? close.repeat(levels) : '') + text.slice(from);
    }
    case 6: {
      // nest the whole body, keeping it well-formed
      const levels = rng.chance(0.2) ? rng.int(5000, 20_000) : rng.int(1, 100);
      return /^\s*</.test(text)
        ? `<Response>${'<a>'.repeat(levels)}${text}${'</a>'.repeat(levels)}</Response>`
        : `{"a":${'['.repeat(levels)}${text}${']'.repeat(levels)}}`;
    }
    default: {
      // swap two halves
      const from = at();
      return text.slice(from) + text.slice(0, from);
    }
  }
}

export function mutatedBody(rng: Rng): string {
  let text = rng.pick(FIXTURE_BODIES);
  for (let n = rng.int(1, 4); n > 0; n -= 1) text = mutate(rng, text);
  return text;
}
