/** Snapshot: capture frames and sprite sheets from a video (docs/api/job-types.md#snapshot). */
import { defineJob, type FieldSpec } from './descriptor';
import { inputObject, jobLevel, mediaInfoArrayPaths, mediaResultArrayPaths, output, templateId, userData } from './common';
import { getPath } from './paths';

const px = (doc: string, min: number, max: number): FieldSpec => ({ kind: 'integer', doc, min, max });

export const SnapshotParams: FieldSpec = {
  kind: 'container',
  doc: "Inline capture parameters (the same as a snapshot template's).",
  fields: {
    Mode: {
      kind: 'enum',
      doc: 'Interval: a shot every TimeInterval seconds; Average: Count shots spread evenly over the video; KeyFrame: key frames.',
      values: ['Interval', 'Average', 'KeyFrame'],
      default: 'Interval',
    },
    Start: { kind: 'number', doc: 'Where capturing starts, in seconds (millisecond precision).', min: 0, default: '0' },
    TimeInterval: { kind: 'number', doc: 'Seconds between two shots in Interval mode.', min: 0, minExclusive: true, max: 3600 },
    Count: { kind: 'integer', doc: 'How many shots to take.', min: 0, minExclusive: true, max: 10000 },
    Width: px('Width of each shot in pixels; set only Width or Height to keep the aspect ratio.', 128, 4096),
    Height: px('Height of each shot in pixels; set only Width or Height to keep the aspect ratio.', 128, 4096),
    CIParam: { kind: 'string', doc: 'Image processing applied to every shot, e.g. imageMogr2/format/png.' },
    IsCheckCount: { kind: 'boolean', doc: 'When Interval mode cannot reach Count shots, switch to Average so you still get Count.', default: 'false' },
    IsCheckBlack: { kind: 'boolean', doc: 'Skip black frames.', default: 'false' },
    BlackLevel: {
      kind: 'integer',
      doc: 'Share of black pixels (percent) that makes a frame black, when skipping black frames (IsCheckBlack).',
      min: 30,
      max: 100,
    },
    PixelBlackThreshold: {
      kind: 'integer',
      doc: 'Brightness at or below which a pixel counts as black, when skipping black frames (IsCheckBlack).',
      min: 0,
      max: 255,
    },
    SnapshotOutMode: {
      kind: 'enum',
      doc: 'Write the shots, a sprite sheet, or both.',
      values: ['OnlySnapshot', 'OnlySprite', 'SnapshotAndSprite'],
      default: 'OnlySnapshot',
    },
    SpriteSnapshotConfig: {
      kind: 'container',
      doc: 'Sprite sheet layout (required when SnapshotOutMode writes sprites).',
      fields: {
        CellWidth: px('Width of one cell of the sprite sheet in pixels (blank: the shot width).', 8, 4096),
        CellHeight: px('Height of one cell of the sprite sheet in pixels (blank: the shot height).', 8, 4096),
        Padding: { ...px('Space between cells in pixels.', 0, 1024), default: '0' },
        Margin: { ...px('Border around the sheet in pixels.', 0, 1024), default: '0' },
        Color: {
          kind: 'string',
          doc: 'Background colour of the sheet, e.g. Black, AliceBlue or #RRGGBB.',
          required: true,
          pattern: /^(?:[A-Za-z]+|(?:#|0x)[0-9A-Fa-f]{6})$/,
          patternDoc: 'an FFmpeg colour name (e.g. Black, AliceBlue) or #RRGGBB',
        },
        Columns: { ...px('Cells in each row of the sheet.', 1, 10000), required: true },
        Lines: { ...px('Rows in each sheet; more shots start a new sheet.', 1, 10000), required: true },
        ScaleMethod: {
          kind: 'enum',
          doc: 'How shots fit their cells: DirectScale stretches to the cell size, MaxWHScale fits inside it, MaxWHScaleAndPad fits and pads.',
          values: ['DirectScale', 'MaxWHScaleAndPad', 'MaxWHScale'],
          default: 'DirectScale',
        },
      },
    },
  },
};

const NUMBER_WILDCARD = /\$\{[Nn]umber\}/;

export const SnapshotJob = defineJob<SnapshotOperation>()({
  tag: 'Snapshot',
  summary: 'Capture frames from a video as images and sprite sheets.',
  input: { Object: inputObject },
  operation: {
    TemplateId: templateId,
    Snapshot: SnapshotParams,
    Output: {
      ...output,
      required: true,
      fields: {
        ...output.fields,
        // Optional as documented; the key the service writes without it is not (docs/api/open-questions.md #15).
        Object: {
          kind: 'string',
          doc: 'Key of each shot; must contain ${number} when there are several (also ${time}, ${jobid}, ${ext}). New nodes start with snapshot/${jobid}/${number}.${ext}, a folder per job; left blank, the service picks the key.',
          initial: 'snapshot/${jobid}/${number}.${ext}',
        },
        SpriteObject: {
          kind: 'string',
          doc: 'Key of each sprite sheet (jpg only); must contain ${number} when there are several.',
          pattern: /^(?!.*\.(?:png|webp|gif|bmp|tiff?|heic|heif|avif)$).+$/i,
          patternDoc: 'an object key for a jpg image (not .png, .webp, .gif …)',
        },
      },
    },
    UserData: userData,
    JobLevel: jobLevel,
  },
  operationRequired: true,
  rules: [
    {
      kind: 'atLeastOne',
      paths: ['Operation.TemplateId', 'Operation.Snapshot'],
      doc: 'Capture parameters come from TemplateId or Snapshot; TemplateId wins when both are given.',
    },
    {
      kind: 'requiredWhen',
      path: 'Operation.Snapshot.SpriteSnapshotConfig',
      when: { path: 'Operation.Snapshot.SnapshotOutMode', in: ['OnlySprite', 'SnapshotAndSprite'] },
      doc: 'Sprite sheets need a SpriteSnapshotConfig.',
    },
    {
      kind: 'custom',
      doc: 'Output.Object must contain ${number} when the inline parameters can produce more than one shot.',
      check(request) {
        const object = getPath(request, 'Operation.Output.Object');
        if (typeof object !== 'string' || NUMBER_WILDCARD.test(object)) return [];
        if (getPath(request, 'Operation.TemplateId') !== undefined || getPath(request, 'Operation.Snapshot') === undefined) return [];
        if (getPath(request, 'Operation.Snapshot.SnapshotOutMode') === 'OnlySprite') return [];
        if (getPath(request, 'Operation.Snapshot.Count') === '1') return [];
        return [['Operation.Output.Object', object, 'a key containing the ${number} wildcard, since Count is not 1 (e.g. output/snapshot-${number}.jpg)']];
      },
    },
  ],
  resultArrayPaths: [...mediaInfoArrayPaths, ...mediaResultArrayPaths],
  outputs: [
    { kind: 'snapshot', doc: 'The captured frames.', from: 'fileList', path: 'MediaResult.OutputFile' },
    { kind: 'sprite', doc: 'The sprite sheets.', from: 'fileList', path: 'MediaResult.OutputFile.SpriteOutputFile' },
  ],
  template: { params: 'Snapshot' },
  emulation: { runner: 'snapshot' },
  instant: {
    process: 'snapshot',
    doc: 'One frame of a video at a time point, answered as the image itself (GetSnapshot).',
    source: 'https://cloud.tencent.com/document/api/436/55671',
    params: {
      time: { kind: 'number', doc: 'The time point of the frame, in seconds (decimals allowed).', required: true, min: 0, initial: '1' },
      // The sync API documents no range; 4096 is the Snapshot job's bound (docs/api/instant.md).
      width: {
        kind: 'integer',
        doc: 'Width of the frame in pixels; 0 with height 0: the video size, 0 alone: kept to the aspect ratio.',
        min: 0,
        max: 4096,
        default: '0',
      },
      height: {
        kind: 'integer',
        doc: 'Height of the frame in pixels; 0 with width 0: the video size, 0 alone: kept to the aspect ratio.',
        min: 0,
        max: 4096,
        default: '0',
      },
      format: { kind: 'enum', doc: 'The image format.', values: ['jpg', 'png'], default: 'jpg' },
      rotate: { kind: 'enum', doc: "auto: turn the frame by the video's rotation; off: as stored.", values: ['auto', 'off'], default: 'auto' },
      mode: {
        kind: 'enum',
        doc: 'exactframe: the frame at the time; keyframe: the last keyframe before it.',
        values: ['exactframe', 'keyframe'],
        default: 'exactframe',
      },
    },
    answer: 'image',
  },
});

export interface SnapshotOutputFile {
  Bucket?: string;
  Region?: string;
  /** Prepend to each ObjectName to get the full key. */
  ObjectPrefix?: string;
  ObjectName?: string[];
  Md5Info?: Array<{ Md5?: string; ObjectName?: string }>;
  SpriteOutputFile?: Omit<SnapshotOutputFile, 'SpriteOutputFile'>;
}

export interface SnapshotOperation {
  TemplateId?: string;
  TemplateName?: string;
  Snapshot?: Record<string, unknown>;
  Output?: { Region?: string; Bucket?: string; Object?: string; SpriteObject?: string };
  UserData?: string;
  JobLevel?: string;
  MediaResult?: { OutputFile?: SnapshotOutputFile };
}
