/**
 * How wide a palette label is drawn. Node-RED's palette (editor-client palette.js, setLabel)
 * breaks a label into lines itself: a line may be at most 82 px wide (its `nodeWidth`),
 * measured in the label's own style, 13 px "Helvetica Neue", Arial, Helvetica, sans-serif;
 * anything wider goes onto a second line and the palette node grows to 50 px. Widths here use
 * Helvetica's (and Arial's) advance widths, CJK characters one em each.
 */

/** The widest line Node-RED's palette keeps on one line, in px (palette.js `nodeWidth`). */
export const PALETTE_LINE = 82;
/**
 * The most a label may take in Helvetica/Arial so that it still fits the line in DejaVu Sans,
 * the sans-serif a Linux browser falls back to where neither font is installed, which draws
 * up to 18 % wider. Measured in Node-RED 4's editor in Chromium with DejaVu Sans only:
 * "http request" (68.6 px in Helvetica) is 80.2 px and stays on one line; "target detect"
 * (72.3 px) is 85.3 px and wraps.
 */
export const PALETTE_LABEL_MAX = 69;
const FONT_SIZE = 13;

/** Helvetica's advance widths (1/1000 em) of printable ASCII, from space (32) to tilde (126). */
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];

/** Whether a character is drawn one em wide (CJK ideographs, kana, hangul, full-width forms). */
const wide = (code: number) =>
  (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xff60);

/** The width of `label` in px at the palette's 13 px; throws on a character it has no width for. */
export function paletteLabelWidth(label: string): number {
  let units = 0;
  for (const char of label) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += HELVETICA[code - 32]!;
    else if (wide(code)) units += 1000;
    else throw new Error(`no width for ${JSON.stringify(char)} (U+${code.toString(16).toUpperCase()}) in ${JSON.stringify(label)}`);
  }
  return (units * FONT_SIZE) / 1000;
}
