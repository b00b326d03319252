/**
 * Sample media for tests and demos, made by ffmpeg (nothing binary is committed or
 * downloaded): a moving test pattern with a 440 Hz tone, h264/aac in mp4.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { INSTALL_HINT, locateMediaTools } from './tools';

export interface SampleClipOptions {
  seconds?: number;
  /** WxH, e.g. 640x360 (default 320x240). */
  size?: string;
  /** Frames per second (default 10). */
  rate?: number;
}

/** Writes the clip to `file` (creating its folder); throws naming the install when ffmpeg is missing. */
export function makeSampleClip(file: string, options: SampleClipOptions = {}): void {
  const { seconds = 2, size = '320x240', rate = 10 } = options;
  const tools = locateMediaTools();
  if (!tools.ffmpeg) throw new Error(`Making a sample clip needs ffmpeg, which was not found (${tools.source}): ${INSTALL_HINT}`);
  mkdirSync(dirname(file), { recursive: true });
  execFileSync(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=duration=${seconds}:size=${size}:rate=${rate}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-shortest',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
