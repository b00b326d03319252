/** VideoTargetRec: detect people, pets, cars, faces and plates in a video (docs/api/job-types.md#videotargetrec). */
import { defineJob, type FieldSpec } from './descriptor';
import { inputObject, jobLevel, output, templateId, userData } from './common';
import { getPath } from './paths';

const flag = (doc: string): FieldSpec => ({ kind: 'boolean', doc, default: 'false' });
const TARGETS = ['Body', 'Pet', 'Car', 'Face', 'Plate'] as const;

export const VideoTargetRecJob = defineJob<VideoTargetRecOperation>()({
  tag: 'VideoTargetRec',
  summary: 'Detect people, pets, cars, faces and licence plates in a video.',
  input: {
    Object: { ...inputObject, required: false, doc: 'Key of the input object in the bound bucket (wins over Url).' },
    Url: {
      kind: 'string',
      doc: 'URL of the input media, used when Object is not given.',
      pattern: /^https?:\/\/\S+$/,
      patternDoc: 'an http:// or https:// URL',
    },
  },
  operation: {
    TemplateId: templateId,
    VideoTargetRec: {
      kind: 'container',
      doc: "Inline detection parameters (the same as a detection template's).",
      fields: {
        Body: { ...flag('Detect people.'), initial: 'true' },
        Pet: flag('Detect pets.'),
        Car: flag('Detect cars.'),
        Face: flag('Detect faces.'),
        Plate: flag('Detect licence plates.'),
        SnapshotFreq: { kind: 'number', doc: 'How many frames per second are examined.', min: 0, max: 30, default: '1' },
        ProcessType: { kind: 'enum', doc: 'Mosaic: blur the detected faces and plates into a new video; blank: detect only.', values: ['Mosaic'] },
        TransTpl: {
          kind: 'container',
          doc: 'Encoding of the mosaicked video.',
          fields: {
            Container: {
              kind: 'container',
              doc: 'Container settings.',
              fields: { Format: { kind: 'string', doc: 'Container of the mosaicked video, e.g. mp4.' } },
            },
            Video: {
              kind: 'container',
              doc: 'Video encoding settings.',
              fields: {
                Codec: { kind: 'string', doc: 'Video codec of the mosaicked video, e.g. H.264.' },
                Bitrate: { kind: 'integer', doc: 'Video bitrate in kbps.', min: 1 },
                Crf: { kind: 'number', doc: 'Constant rate factor: lower values give better quality and bigger files.', min: 0, max: 51 },
                Width: { kind: 'integer', doc: 'Width of the mosaicked video in pixels.', min: 1, max: 4096 },
                Height: { kind: 'integer', doc: 'Height of the mosaicked video in pixels.', min: 1, max: 4096 },
                Fps: { kind: 'number', doc: 'Frame rate of the mosaicked video.', min: 0, minExclusive: true, max: 120 },
              },
            },
          },
        },
      },
    },
    Output: {
      ...output,
      doc: 'Where the mosaicked video is written (with ProcessType Mosaic).',
      fields: { ...output.fields, Object: { ...output.fields!.Object!, doc: 'Key of the mosaicked video (with ProcessType Mosaic).' } },
    },
    SnapshotPrefix: { kind: 'string', doc: 'Save the detected frames under <prefix>/<JobId>/ in your bucket (billed extra); blank: frames are not saved.' },
    UserData: userData,
    JobLevel: jobLevel,
  },
  operationRequired: true,
  queueType: 'AIProcess',
  submitOmitsInput: true,
  template: { params: 'VideoTargetRec' },
  emulation: { scripted: { element: 'VideoTargetRecResult', empty: {} } },
  rules: [
    { kind: 'atLeastOne', paths: ['Input.Object', 'Input.Url'], doc: 'The input is an object key or a URL; Object wins when both are given.' },
    {
      kind: 'atLeastOne',
      paths: ['Operation.TemplateId', 'Operation.VideoTargetRec'],
      doc: 'Detection parameters come from TemplateId or VideoTargetRec; TemplateId wins when both are given.',
    },
    {
      kind: 'custom',
      doc: 'Inline parameters must enable at least one of Body, Pet, Car, Face, Plate.',
      check(request) {
        if (getPath(request, 'Operation.TemplateId') !== undefined) return [];
        const params = getPath(request, 'Operation.VideoTargetRec');
        if (params === undefined) return [];
        if (TARGETS.some((t) => getPath(request, `Operation.VideoTargetRec.${t}`) === 'true')) return [];
        return [['Operation.VideoTargetRec', params, 'at least one of Body, Pet, Car, Face, Plate set to true']];
      },
    },
    {
      kind: 'custom',
      doc: 'ProcessType Mosaic works on faces and plates only.',
      check(request) {
        if (getPath(request, 'Operation.VideoTargetRec.ProcessType') !== 'Mosaic') return [];
        const on = (t: string) => getPath(request, `Operation.VideoTargetRec.${t}`) === 'true';
        return on('Face') || on('Plate') ? [] : [['Operation.VideoTargetRec.ProcessType', 'Mosaic', 'Mosaic only together with Face or Plate set to true']];
      },
    },
  ],
  // The frames the detections were found in, saved by the service (SnapshotPrefix). Where a
  // mosaicked video lands is not in any result element the docs show (docs/api/open-questions.md).
  outputs: [
    ...['Body', 'Pet', 'Car', 'Face'].map((t) => ({
      kind: 'frame',
      doc: `A frame with ${t.toLowerCase()} detections.`,
      from: 'url' as const,
      path: `VideoTargetRecResult.${t}Recognition`,
      field: 'Url',
    })),
    { kind: 'frame', doc: 'A frame with licence plate detections.', from: 'url', path: 'VideoTargetRecResult.LicenseRecognitionResult', field: 'Url' },
  ],
  resultArrayPaths: ['Body', 'Pet', 'Car', 'Face', 'TopK']
    .flatMap((t) => [`VideoTargetRecResult.${t}Recognition`, ...['Body', 'Pet', 'Car', 'Face'].map((i) => `VideoTargetRecResult.${t}Recognition.${i}Info`)])
    .concat(['VideoTargetRecResult.LicenseRecognitionResult', 'VideoTargetRecResult.LicenseRecognitionResult.PlateInfo']),
});

export interface TargetInfo {
  Name?: string;
  /** 0–100. */
  Score?: string;
  Location?: { X?: string; Y?: string; Width?: string; Height?: string };
}

export interface TargetRecognition {
  /** Seconds into the video, e.g. "1.206000". */
  Time?: string;
  /** The frame image. */
  Url?: string;
  BodyInfo?: TargetInfo[];
  PetInfo?: TargetInfo[];
  CarInfo?: TargetInfo[];
  FaceInfo?: TargetInfo[];
}

export interface VideoTargetRecResult {
  BodyRecognition?: TargetRecognition[];
  PetRecognition?: TargetRecognition[];
  CarRecognition?: TargetRecognition[];
  FaceRecognition?: TargetRecognition[];
  LicenseRecognitionResult?: Array<{ Time?: string; Url?: string; PlateInfo?: TargetInfo[] }>;
}

export interface VideoTargetRecOperation {
  TemplateId?: string;
  VideoTargetRec?: Record<string, string>;
  SnapshotPrefix?: string;
  UserData?: string;
  JobLevel?: string;
  VideoTargetRecResult?: VideoTargetRecResult;
}
