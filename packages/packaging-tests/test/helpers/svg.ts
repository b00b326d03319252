/**
 * A strict reader of the small SVG files a node package ships as icons: well-formed XML
 * (every tag closed in order, attributes quoted and given once, only XML's own entities), read
 * into elements, so a test can check the root, the viewBox and the colours each shape is drawn in.
 */

export interface SvgElement {
  name: string;
  attributes: Record<string, string>;
  children: SvgElement[];
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/;

/** The root element of `text`, or an Error saying where it is not well-formed XML. */
export function parseSvg(text: string): SvgElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at character ${at}: ${why}`);
  };
  const stack: SvgElement[] = [];
  let root: SvgElement | undefined;
  const skipProlog = () => {
    for (;;) {
      const rest = text.slice(at);
      const space = /^\s+/.exec(rest);
      if (space) at += space[0].length;
      else if (rest.startsWith('<?xml')) at = text.indexOf('?>', at) + 2 || fail('unclosed <?xml');
      else if (rest.startsWith('<!--')) at = text.indexOf('-->', at) + 3 || fail('unclosed comment');
      else return;
    }
  };
  skipProlog();
  while (at < text.length) {
    if (root && stack.length === 0) {
      skipProlog();
      if (at < text.length) fail('content after the root element');
      break;
    }
    if (text.startsWith('<!--', at)) {
      at = text.indexOf('-->', at) + 3 || fail('unclosed comment');
    } else if (text.startsWith('</', at)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(text.slice(at)) ?? fail('bad end tag');
      const open = stack.pop();
      if (!open || open.name !== m[1]) fail(`</${m[1]}> closes <${open?.name ?? 'nothing'}>`);
      at += m[0].length;
    } else if (text[at] === '<') {
      at += 1;
      const name = NAME.exec(text.slice(at))?.[0] ?? fail('bad tag name');
      at += name.length;
      const element: SvgElement = { name, attributes: {}, children: [] };
      for (;;) {
        const rest = text.slice(at);
        const end = /^\s*(\/?)>/.exec(rest);
        if (end) {
          at += end[0].length;
          if (stack.length) stack[stack.length - 1]!.children.push(element);
          else if (root) fail('a second root element');
          else root = element;
          if (!end[1]) stack.push(element);
          break;
        }
        const attr = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/.exec(rest) ?? fail(`bad attribute in <${name}>`);
        const value = attr[2] ?? attr[3]!;
        if (attr[1]! in element.attributes) fail(`${attr[1]} given twice in <${name}>`);
        if (ENTITY.test(value)) fail(`a bare & in ${attr[1]}`);
        element.attributes[attr[1]!] = value;
        at += attr[0].length;
      }
    } else {
      const next = text.indexOf('<', at);
      const chunk = text.slice(at, next < 0 ? text.length : next);
      if (!stack.length && chunk.trim()) fail('text outside the root element');
      if (ENTITY.test(chunk)) fail('a bare & in text');
      at += chunk.length;
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  return root ?? fail('no root element');
}

/** The elements of a tree, each with the attributes it inherits (`fill`, `stroke`, ...) merged under its own. */
export function walk(element: SvgElement, inherited: Record<string, string> = {}): Array<{ element: SvgElement; effective: Record<string, string> }> {
  const style = Object.fromEntries(
    (element.attributes.style ?? '')
      .split(';')
      .map((decl) => decl.split(':').map((s) => s.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== ''),
  );
  const effective = { ...inherited, ...element.attributes, ...style };
  return [{ element, effective }, ...element.children.flatMap((child) => walk(child, effective))];
}

/** The shapes SVG paints (with a default fill of black when none is given). */
export const SHAPES = new Set(['path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text']);

/** Whether a paint value draws in white or draws nothing. */
export function whiteOrNone(paint: string): boolean {
  return /^(none|transparent|white|#f{3,4}|#f{6}|#f{8}|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))$/i.test(paint.trim());
}

/** Why an icon file is not a Node-RED style SVG: well-formed, `<svg>` root, viewBox 0 0 40 60, every shape in white or unpainted. */
export function svgProblems(text: string): string[] {
  let root;
  try {
    root = parseSvg(text);
  } catch (err) {
    return [(err as Error).message];
  }
  const problems: string[] = [];
  if (root.name !== 'svg') problems.push(`the root element is <${root.name}>, not <svg>`);
  if (root.attributes.xmlns !== 'http://www.w3.org/2000/svg') problems.push('no xmlns="http://www.w3.org/2000/svg" (browsers draw nothing without it)');
  const viewBox = (root.attributes.viewBox ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (viewBox.join(' ') !== '0 0 40 60') problems.push(`viewBox is ${JSON.stringify(root.attributes.viewBox)}, not "0 0 40 60" like Node-RED's icons`);
  for (const [dimension, value] of [
    ['width', '40'],
    ['height', '60'],
  ] as const) {
    const given = root.attributes[dimension];
    if (given !== undefined && given !== value) problems.push(`${dimension}="${given}", not ${value}`);
  }
  let shapes = 0;
  for (const { element, effective } of walk(root)) {
    if (['script', 'foreignObject', 'image', 'style'].includes(element.name)) problems.push(`<${element.name}>: an icon is drawn with shapes only`);
    if (!SHAPES.has(element.name)) continue;
    shapes += 1;
    // SVG fills a shape black unless told otherwise; strokes are none by default.
    const fill = effective.fill ?? '#000';
    const stroke = effective.stroke ?? 'none';
    if (!whiteOrNone(fill)) problems.push(`a <${element.name}> is filled ${fill}: the glyph is white on the node's colour`);
    if (!whiteOrNone(stroke)) problems.push(`a <${element.name}> is stroked ${stroke}: the glyph is white on the node's colour`);
    const covers =
      element.name === 'rect' &&
      Number(effective.x ?? 0) <= 0 &&
      Number(effective.y ?? 0) <= 0 &&
      Number(effective.width) >= 40 &&
      Number(effective.height) >= 60 &&
      fill !== 'none';
    if (covers) problems.push('a <rect> paints the whole icon: the background must stay transparent');
  }
  if (shapes === 0) problems.push('it draws nothing');
  return problems;
}
