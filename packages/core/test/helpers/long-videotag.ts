/**
 * A long VideoTag describe answer, generated: 5,000 detections (objects with boxes, people
 * per second, places with frame results, actions), one element per line, indented with tabs,
 * about 1.7 MB. Seeded: the same body every time. Used by the XML reader's tests
 * and by `npm run bench` (the event-loop block of parsing a long result).
 */
import { seededRandom } from '../../src/random';

const INDENT = '\t';
const OBJECTS = ['Keyboard', 'Person', 'Car', 'Dog', 'Cat', 'Monitor', 'Cup', 'Chair'];
const PLACES = ['Office: 0.55', 'Sky: 0.28', 'Entertainment venue: 0.42', 'Other: 0.09'];

export function longVideoTagBody(detections = 5000, seed = 0x51de): string {
  const random = seededRandom(seed);
  const num = () => random().toFixed(6);
  const coordinate = () => random().toFixed(16);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const out: string[] = [];
  const el = (depth: number, name: string, value: string) => out.push(`${INDENT.repeat(depth)}<${name}>${value}</${name}>`);
  const open = (depth: number, name: string) => out.push(`${INDENT.repeat(depth)}<${name}>`);
  const close = (depth: number, name: string) => out.push(`${INDENT.repeat(depth)}</${name}>`);
  const box = (d: number) => {
    open(d, 'BBox');
    for (const k of ['X1', 'X2', 'Y1', 'Y2']) el(d + 1, k, coordinate());
    close(d, 'BBox');
  };
  out.push('<Response>');
  open(1, 'JobsDetail');
  el(2, 'Code', 'Success');
  el(2, 'CreationTime', '2022-07-01T10:05:48+0800');
  el(2, 'EndTime', '2022-07-01T10:36:02+0800');
  open(2, 'Input');
  el(3, 'BucketId', 'examplebucket-1250000000');
  el(3, 'Object', 'input/long-match.mp4');
  el(3, 'Region', 'ap-guangzhou');
  close(2, 'Input');
  el(2, 'JobId', 'j535b10a4f8e211ec9452c1c27f56a659');
  el(2, 'Message', 'Success');
  open(2, 'Operation');
  el(3, 'UserData', 'long &amp; busy match');
  open(3, 'VideoTag');
  el(4, 'Scenario', 'Stream');
  close(3, 'VideoTag');
  open(3, 'VideoTagResult');
  open(4, 'StreamData');
  open(5, 'Data');
  const objects = Math.round(detections * 0.5);
  const people = Math.round(detections * 0.3);
  const places = Math.round(detections * 0.1);
  const actions = detections - objects - people - places;
  for (let i = 0; i < objects; i += 1) {
    open(6, 'ObjectTags');
    open(7, 'Objects');
    box(8);
    el(8, 'Confidence', num());
    el(8, 'Name', pick(OBJECTS));
    close(7, 'Objects');
    el(7, 'TimeStamp', String(i));
    close(6, 'ObjectTags');
  }
  for (let p = 0; p < 20; p += 1) {
    open(6, 'PersonTags');
    el(7, 'Confidence', num());
    el(7, 'Count', String(people / 20));
    for (let i = 0; i < people / 20; i += 1) {
      open(7, 'DetailPerSecond');
      box(8);
      el(8, 'Confidence', num());
      el(8, 'TimeStamp', String(i));
      close(7, 'DetailPerSecond');
    }
    el(7, 'Name', `Person ${p}`);
    close(6, 'PersonTags');
  }
  for (let i = 0; i < places; i += 1) {
    open(6, 'PlaceTags');
    for (let f = 0; f < 4; f += 1) el(7, 'ClipFrameResult', pick(PLACES));
    el(7, 'EndTime', String(i * 12 + 11));
    el(7, 'StartTime', String(i * 12));
    open(7, 'Tags');
    el(8, 'Confidence', num());
    el(8, 'Tag', 'Office');
    el(8, 'TagCls', 'Work');
    close(7, 'Tags');
    close(6, 'PlaceTags');
  }
  for (let i = 0; i < actions; i += 1) {
    open(6, 'ActionTags');
    el(7, 'EndTime', String(i * 2 + 2));
    el(7, 'StartTime', String(i * 2));
    open(7, 'Tags');
    el(8, 'Confidence', num());
    el(8, 'Tag', 'Speak');
    el(8, 'TagCls', 'Speak');
    close(7, 'Tags');
    close(6, 'ActionTags');
  }
  el(6, 'Tags', '');
  close(5, 'Data');
  el(5, 'SubErrCode', '0');
  el(5, 'SubErrMsg', 'ok');
  close(4, 'StreamData');
  close(3, 'VideoTagResult');
  close(2, 'Operation');
  el(2, 'QueueId', 'p2242ab62c7c94486915508540933a2c6');
  el(2, 'State', 'Success');
  el(2, 'Tag', 'VideoTag');
  close(1, 'JobsDetail');
  out.push('</Response>');
  return out.join('\n');
}
