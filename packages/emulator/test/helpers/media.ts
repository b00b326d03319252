/**
 * Test clips made on the fly with ffmpeg's lavfi sources (no media files in the repository).
 * Each maker writes into `dir` and returns the file's path. Clips are tiny and encode in well
 * under a second with libx264 -preset ultrafast.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { locateMediaTools } from '../../src/media/tools';

const run = promisify(execFile);

export function ffmpegPath(): string {
  const { ffmpeg } = locateMediaTools();
  if (!ffmpeg) throw new Error('ffmpeg is needed to make test clips (apt-get install --no-install-recommends ffmpeg)');
  return ffmpeg;
}

export function hasMediaTools(): boolean {
  const tools = locateMediaTools();
  return Boolean(tools.ffmpeg && tools.ffprobe);
}

/** Runs ffmpeg with `args` and the output file `dir`/`name` last; returns that file's path. */
async function encode(dir: string, name: string, args: string[]): Promise<string> {
  const file = join(dir, name);
  await run(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args, file]);
  return file;
}

/** `-f lavfi -i <source>` for each source, in order (input 0, 1, …). */
const lavfi = (...sources: string[]) => sources.flatMap((source) => ['-f', 'lavfi', '-i', source]);

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25'];
const AAC = ['-c:a', 'aac', '-b:a', '64k'];

/** 4 s testsrc2 640x360 25 fps (a key frame every second) + 440 Hz sine (44.1 kHz mono), h264/aac mp4. */
export function makeCleanClip(dir: string, name = 'clean.mp4'): Promise<string> {
  return encode(dir, name, [
    ...lavfi('testsrc2=duration=4:size=640x360:rate=25', 'sine=frequency=440:duration=4:sample_rate=44100'),
    ...H264,
    ...AAC,
    '-shortest',
  ]);
}

/**
 * 4.5 s: 1.5 s clean (testsrc2 + sine), 1.5 s black with digital silence, 1.5 s heavily
 * blurred testsrc2 (boxblur=20) + sine. The audio stream runs throughout (silent in the middle).
 * Each 1.5 s part is 38 frames at 25 fps, so the parts start at 0, 1.52 and 3.04 s.
 */
export function makeDegradedClip(dir: string, name = 'degraded.mp4'): Promise<string> {
  const part = 'duration=1.5:size=640x360:rate=25';
  return encode(dir, name, [
    ...lavfi(
      `testsrc2=${part}`,
      'sine=frequency=440:duration=1.5:sample_rate=44100',
      `color=c=black:${part}`,
      'anullsrc=r=44100:cl=mono',
      `testsrc2=${part}`,
      'sine=frequency=440:duration=1.5:sample_rate=44100',
    ),
    '-filter_complex',
    '[0:v]format=yuv420p[v0];[2:v]format=yuv420p[v1];[3:a]atrim=duration=1.52[a1];[4:v]boxblur=20,format=yuv420p[v2];' +
      '[v0][1:a][v1][a1][v2][5:a]concat=n=3:v=1:a=1[v][a]',
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...H264,
    ...AAC,
  ]);
}

/** 2 s testsrc2 320x180 without an audio stream. */
export function makeVideoOnlyClip(dir: string, name = 'video-only.mp4'): Promise<string> {
  return encode(dir, name, [...lavfi('testsrc2=duration=2:size=320x180:rate=25'), ...H264]);
}

/** 3 s, no audio: 1 s black, then 2 s testsrc2 (640x360, 25 fps). */
export function makeBlackStartClip(dir: string, name = 'black-start.mp4'): Promise<string> {
  return encode(dir, name, [
    ...lavfi('color=c=black:duration=1:size=640x360:rate=25', 'testsrc2=duration=2:size=640x360:rate=25'),
    '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]',
    '-map',
    '[v]',
    ...H264,
  ]);
}

/** 2 s of a 440 Hz sine only (m4a, no video stream). */
export function makeAudioOnlyClip(dir: string, name = 'audio-only.m4a'): Promise<string> {
  return encode(dir, name, [...lavfi('sine=frequency=440:duration=2:sample_rate=44100'), ...AAC]);
}

/** A text file named like a video. */
export async function makeNotMedia(dir: string, name = 'not-media.mp4'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, 'This is a text file, not a video.\nIt has two lines.\n');
  return file;
}
