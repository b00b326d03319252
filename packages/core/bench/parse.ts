/**
 * Parsing rows: the 1.7 MB VideoTag describe answer (5,000 detections, generated) read into
 * the normalised result, against the official SDK's xml2json and against raw
 * fast-xml-parser 5 (`parseTagValue: false, ignoreAttributes: true`, no validation, no
 * normalising); and the event-loop block it costs, measured with a timer that should fire
 * every millisecond while the answer is parsed.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseResponse } from '../src';
import { longVideoTagBody } from '../test/helpers/long-videotag';
import { formatTable, millis, sideBySideMs, type BenchRow } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkUtil = require('cos-nodejs-sdk-v5/sdk/util');

const BODY = longVideoTagBody();
const raw = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

const ours = () => parseResponse(BODY);

/** The longest gap a 1 ms interval timer sees while `parse` runs on the event loop, in ms. */
async function eventLoopBlock(parse: () => unknown): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  setImmediate(parse);
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(tick);
  return longest;
}

export async function benchParse(): Promise<BenchRow[]> {
  const detections = ours().JobsDetail[0]!;
  if (!detections.Operation) throw new Error('bench/parse: the long VideoTag answer did not parse');
  const size = `${(Buffer.byteLength(BODY) / 1e6).toFixed(1)} MB`;
  const vsSdk = sideBySideMs(ours, () => sdkUtil.xml2json(BODY), 9);
  const vsRaw = sideBySideMs(ours, () => raw.parse(BODY), 9);
  const blocks: number[] = [];
  for (let i = 0; i < 5; i += 1) blocks.push(await eventLoopBlock(ours));
  blocks.sort((a, b) => a - b);
  const block = blocks[2]!;
  const slower = vsRaw.ours / vsRaw.peer;
  return [
    {
      path: `parse + normalise a ${size} VideoTag describe (5,000 detections)`,
      ours: millis(vsSdk.ours),
      peer: millis(vsSdk.peer),
      peerName: 'cos-nodejs-sdk-v5 xml2json',
      ratio: vsSdk.peer / vsSdk.ours,
      goal: '>= 1x',
      met: vsSdk.peer / vsSdk.ours >= 1,
    },
    {
      path: 'the same vs raw fast-xml-parser 5',
      ours: millis(vsRaw.ours),
      peer: millis(vsRaw.peer),
      peerName: 'fast-xml-parser 5 parse only',
      ratio: slower,
      goal: '<= 1.15x slower',
      met: slower <= 1.15,
      note: 'ratio = our time / its time',
    },
    {
      path: 'event-loop block while parsing it',
      ours: millis(block),
      peer: millis(vsSdk.peer),
      peerName: 'xml2json run time',
      ratio: vsSdk.peer / block,
      goal: 'reported',
      met: true,
      note: 'the longest gap a 1 ms timer saw, median of 5',
    },
  ];
}

if (require.main === module) void benchParse().then((rows) => console.log(formatTable(rows)));
