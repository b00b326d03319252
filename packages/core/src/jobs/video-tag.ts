/** VideoTag: tag the content of a video (docs/api/job-types.md#videotag). */
import { defineJob } from './descriptor';
import { inputObject, jobLevel, userData } from './common';

const data = 'VideoTagResult.StreamData.Data';

export const VideoTagJob = defineJob<VideoTagOperation>()({
  tag: 'VideoTag',
  summary: 'Tag what a video shows: scenes, actions, objects and people.',
  input: { Object: inputObject },
  operation: {
    VideoTag: {
      kind: 'container',
      doc: 'Tagging settings.',
      required: true,
      fields: {
        Scenario: {
          kind: 'enum',
          doc: 'The application scenario, which decides the algorithm: Stream (long videos) or ShortVideo.',
          values: ['Stream', 'ShortVideo'],
          required: true,
          initial: 'Stream',
        },
        Text: { kind: 'string', doc: 'Text from the video that helps tag it more accurately in the ShortVideo scenario.' },
      },
    },
    UserData: userData,
    JobLevel: jobLevel,
  },
  operationRequired: true,
  rules: [],
  resultArrayPaths: [
    `${data}.Tags`,
    `${data}.PersonTags`,
    `${data}.PersonTags.DetailPerSecond`,
    `${data}.PersonTags.DetailPerSecond.BBox`,
    `${data}.PlaceTags`,
    `${data}.PlaceTags.Tags`,
    `${data}.PlaceTags.ClipFrameResult`,
    `${data}.ActionTags`,
    `${data}.ActionTags.Tags`,
    `${data}.ObjectTags`,
    `${data}.ObjectTags.Objects`,
    `${data}.ObjectTags.Objects.BBox`,
    `${data}.Labels`,
  ],
  emulation: { scripted: { element: 'VideoTagResult', empty: { StreamData: { SubErrCode: '0', SubErrMsg: 'ok', Data: {} } } } },
});

export interface VideoTagBBox {
  X1?: string;
  X2?: string;
  Y1?: string;
  Y2?: string;
}
export interface VideoTagTag {
  Tag?: string;
  TagCls?: string;
  Confidence?: string;
}
export interface VideoTagDetection {
  TimeStamp?: string;
  Name?: string;
  Confidence?: string;
  BBox?: VideoTagBBox[];
}

export interface VideoTagResult {
  StreamData?: {
    SubErrCode?: string;
    SubErrMsg?: string;
    Data?: {
      Tags?: VideoTagTag[];
      PersonTags?: Array<{ Name?: string; Confidence?: string; Count?: string; DetailPerSecond?: VideoTagDetection[] }>;
      PlaceTags?: Array<{ Tags?: VideoTagTag[]; ClipFrameResult?: string[]; StartTime?: string; EndTime?: string; StartIndex?: string; EndIndex?: string }>;
      ActionTags?: Array<{ Tags?: VideoTagTag[]; StartTime?: string; EndTime?: string }>;
      ObjectTags?: Array<{ Objects?: VideoTagDetection[]; TimeStamp?: string }>;
      Labels?: Array<{ First?: string; Second?: string; Confidence?: string }>;
    };
  };
}

export interface VideoTagOperation {
  VideoTag?: { Scenario?: string; Text?: string };
  UserData?: string;
  JobLevel?: string;
  VideoTagResult?: VideoTagResult;
}
