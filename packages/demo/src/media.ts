/**
 * The demo bucket's sample media, made by ffmpeg (nothing binary is committed or downloaded):
 *   input/demo.mp4      a clean 10 s clip (test pattern and a tone), scored about 8;
 *   input/degraded.mp4  8 s with black, blurred and silent stretches, scored far lower;
 *   input/demo.mp4.ci-result.json     the scripted VideoTag and VideoTargetRec results;
 *   input/queued.mp4 (+ script)       a VideoTag job that stays queued, for the cancel example.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { locateMediaTools, makeSampleClip } from '@node-red-tencent-ci/emulator';

export const DEMO_OBJECTS = {
  clean: 'input/demo.mp4',
  degraded: 'input/degraded.mp4',
  queued: 'input/queued.mp4',
} as const;

const SIZE = '640x360';
const RATE = 25;

function ffmpegPath(): string {
  const tools = locateMediaTools();
  if (!tools.ffmpeg)
    throw new Error(
      `The demo makes its sample media with ffmpeg, which was not found (${tools.source}). Install it (Debian/Ubuntu: apt-get install --no-install-recommends ffmpeg; macOS: brew install ffmpeg) or set FFMPEG_PATH.`,
    );
  return tools.ffmpeg;
}

function ffmpeg(args: string[], file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  execFileSync(ffmpegPath(), ['-loglevel', 'error', '-y', ...args, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** A clean clip: a moving test pattern with a 440 Hz tone. */
export function makeCleanClip(file: string, seconds = 10): void {
  makeSampleClip(file, { seconds, size: SIZE, rate: RATE });
}

/** 2 s clean, 2 s black and silent, 2 s blurred, 2 s clean picture without sound. */
export function makeDegradedClip(file: string): void {
  const video = (src: string) => ['-f', 'lavfi', '-t', '2', '-i', `${src}${src.includes('=') ? ':' : '='}size=${SIZE}:rate=${RATE}`];
  const tone = ['-f', 'lavfi', '-t', '2', '-i', 'sine=frequency=440:sample_rate=44100'];
  const silence = ['-f', 'lavfi', '-t', '2', '-i', 'anullsrc=channel_layout=mono:sample_rate=44100'];
  ffmpeg(
    [
      ...video('testsrc'),
      ...tone,
      ...video('color=c=black'),
      ...silence,
      ...video('testsrc'),
      ...tone,
      ...video('testsrc2'),
      ...silence,
      '-filter_complex',
      '[4:v]boxblur=12:2[blur];[0:v][1:a][2:v][3:a][blur][5:a][6:v][7:a]concat=n=4:v=1:a=1[v][a]',
      '-map',
      '[v]',
      '-map',
      '[a]',
    ],
    file,
  );
}

/** What the emulator returns for VideoTag and VideoTargetRec on input/demo.mp4 (scripted: no model runs here). */
export const DEMO_SCRIPT = {
  VideoTagResult: {
    StreamData: {
      SubErrCode: '0',
      SubErrMsg: 'ok',
      Data: {
        Tags: [
          { Tag: 'test pattern', TagCls: 'graphics', Confidence: '96.20' },
          { Tag: 'colour bars', TagCls: 'graphics', Confidence: '88.75' },
          { Tag: 'tone', TagCls: 'audio', Confidence: '71.30' },
        ],
      },
    },
  },
  VideoTargetRecResult: {
    BodyRecognition: [
      {
        Time: '2.000000',
        Url: 'https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/input/demo-2s.jpg',
        BodyInfo: [{ Name: 'person', Score: '91', Location: { X: '120', Y: '48', Width: '96', Height: '240' } }],
      },
    ],
    PetRecognition: [
      {
        Time: '6.000000',
        Url: 'https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/input/demo-6s.jpg',
        PetInfo: [{ Name: 'cat', Score: '87', Location: { X: '400', Y: '200', Width: '120', Height: '100' } }],
      },
    ],
    CarRecognition: [
      {
        Time: '8.000000',
        Url: 'https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/input/demo-8s.jpg',
        CarInfo: [{ Name: 'car', Score: '82', Location: { X: '10', Y: '220', Width: '260', Height: '120' } }],
      },
    ],
  },
};

/**
 * Writes the sample media into `<root>/<bucket>/input/`, keeping files that are already there
 * (so a second start is quick). Returns the keys it made.
 */
export function prepareDemoBucket(root: string, bucket: string, log: (line: string) => void = () => {}): string[] {
  const dir = join(root, bucket);
  const made: string[] = [];
  const make = (key: string, fn: (file: string) => void) => {
    const file = join(dir, key);
    if (existsSync(file)) return;
    fn(file);
    made.push(key);
  };
  make(DEMO_OBJECTS.clean, (f) => makeCleanClip(f, 10));
  make(DEMO_OBJECTS.degraded, makeDegradedClip);
  make(DEMO_OBJECTS.queued, (f) => makeCleanClip(f, 4));
  make(`${DEMO_OBJECTS.clean}.ci-result.json`, (f) => writeFileSync(f, `${JSON.stringify(DEMO_SCRIPT, null, 2)}\n`));
  make(`${DEMO_OBJECTS.queued}.ci-result.json`, (f) => writeFileSync(f, `${JSON.stringify({ QueuedSeconds: 600, ...DEMO_SCRIPT }, null, 2)}\n`));
  if (made.length) log(`sample media made with ffmpeg in ${dir}: ${made.join(', ')}`);
  return made;
}
