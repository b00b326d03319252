/** MediaInfo: read the container and stream information of a media object (seed 002; ci-api.md §8.1). */
import type { JobDescriptor } from './descriptor';
import { inputObject, jobLevel, mediaInfoArrayPaths, userData } from './common';

export const MediaInfoJob: JobDescriptor = {
  tag: 'MediaInfo',
  summary: 'Read the format and stream information of a media file.',
  input: { Object: inputObject },
  operation: { UserData: userData, JobLevel: jobLevel },
  operationRequired: false,
  rules: [],
  resultArrayPaths: mediaInfoArrayPaths,
};

/** `Operation.MediaInfo` as the service reports it (all values strings). */
export interface MediaInfoResult {
  Format?: {
    NumStream?: string;
    NumProgram?: string;
    FormatName?: string;
    FormatLongName?: string;
    StartTime?: string;
    Duration?: string;
    Bitrate?: string;
    Size?: string;
  };
  Stream?: {
    Video?: MediaInfoVideoStream[];
    Audio?: MediaInfoAudioStream[];
    Subtitle?: Array<{ Index?: string; Language?: string }>;
  };
}

export interface MediaInfoVideoStream {
  Index?: string;
  CodecName?: string;
  CodecLongName?: string;
  CodecTimeBase?: string;
  CodecTagString?: string;
  CodecTag?: string;
  Profile?: string;
  Height?: string;
  Width?: string;
  HasBFrame?: string;
  RefFrames?: string;
  Sar?: string;
  Dar?: string;
  PixFormat?: string;
  FieldOrder?: string;
  Level?: string;
  Fps?: string;
  AvgFps?: string;
  Timebase?: string;
  StartTime?: string;
  Duration?: string;
  Bitrate?: string;
  NumFrames?: string;
  Language?: string;
  Rotation?: string;
  ColorRange?: string;
  ColorTransfer?: string;
  ColorPrimaries?: string;
  CreationTime?: string;
}

export interface MediaInfoAudioStream {
  Index?: string;
  CodecName?: string;
  CodecLongName?: string;
  CodecTimeBase?: string;
  CodecTagString?: string;
  CodecTag?: string;
  SampleFmt?: string;
  SampleRate?: string;
  Channel?: string;
  ChannelLayout?: string;
  Timebase?: string;
  StartTime?: string;
  Duration?: string;
  Bitrate?: string;
  Language?: string;
  CreationTime?: string;
}

export interface MediaInfoOperation {
  UserData?: string;
  JobLevel?: string;
  MediaInfo?: MediaInfoResult;
}
