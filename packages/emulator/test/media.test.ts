/**
 * Media processing with the real ffmpeg/ffprobe: MediaInfo, Snapshot, QualityEstimate and the
 * tool plumbing. Clips are generated in `before` (test/helpers/media.ts); the suite is skipped
 * when ffmpeg/ffprobe are not installed.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MediaJobError } from '../src/media/errors';
import { imageInfo, isJpeg, isPng } from '../src/media/image-size';
import { mapMediaInfo, probeMediaInfo } from '../src/media/media-info';
import { objectPrefix, outputKeys, substituteKey } from '../src/media/output-keys';
import { QUALITY_FORMULA, estimateQuality } from '../src/media/quality';
import { parseQualityLog } from '../src/media/quality-measure';
import { runSnapshot, type SnapshotJob } from '../src/media/snapshot';
import { shotFormat } from '../src/media/snapshot-plan';
import { locateMediaTools, missingToolsMessage, runTool, ToolError, type MediaTools } from '../src/media/tools';
import { hasMediaTools, makeAudioOnlyClip, makeBlackStartClip, makeCleanClip, makeDegradedClip, makeNotMedia, makeVideoOnlyClip } from './helpers/media';

const INSTALL = /apt-get install --no-install-recommends ffmpeg.*brew install ffmpeg.*FFMPEG_PATH\/FFPROBE_PATH/;

async function rejectsWithCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<MediaJobError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof MediaJobError, `expected a MediaJobError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected a MediaJobError ${code}`);
}

/** Every value in a result tree is a non-empty string (arrays and objects aside). */
function assertAllStrings(value: unknown, path = 'result'): void {
  if (Array.isArray(value)) value.forEach((v, i) => assertAllStrings(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertAllStrings(v, `${path}.${k}`);
  else {
    assert.equal(typeof value, 'string', `${path} is ${typeof value}`);
    assert.notEqual(value, '', `${path} is empty`);
  }
}

/** `actual` has these values for the keys of `expected` (its other keys aside). */
function assertFields(actual: object, expected: Record<string, string>): void {
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, (actual as Record<string, unknown>)[k]]));
  assert.deepEqual(picked, expected);
}

describe('media processing (ffmpeg)', function () {
  const tools = locateMediaTools();
  let dir: string;
  let clean: string;
  let degraded: string;
  let videoOnly: string;
  let blackStart: string;
  let audioOnly: string;
  let notMedia: string;

  before(async function () {
    if (!hasMediaTools()) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'media-test-'));
    [clean, degraded, videoOnly, blackStart, audioOnly, notMedia] = await Promise.all([
      makeCleanClip(dir),
      makeDegradedClip(dir),
      makeVideoOnlyClip(dir),
      makeBlackStartClip(dir),
      makeAudioOnlyClip(dir),
      makeNotMedia(dir),
    ]);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('tools', () => {
    it('prefers FFMPEG_PATH / FFPROBE_PATH, then PATH', async () => {
      const bin = await mkdtemp(join(tmpdir(), 'media-tools-'));
      try {
        const fake = join(bin, 'ffprobe');
        await writeFile(fake, '#!/bin/sh\nexit 0\n');
        await chmod(fake, 0o755);
        await writeFile(join(bin, 'ffmpeg'), 'not executable');
        const found = locateMediaTools({ PATH: bin, FFMPEG_PATH: '/opt/custom/ffmpeg' });
        assert.equal(found.ffmpeg, '/opt/custom/ffmpeg');
        assert.equal(found.ffprobe, fake);
        assert.match(found.source, /ffmpeg: FFMPEG_PATH/);
        assert.match(found.source, /ffprobe: PATH/);
      } finally {
        await rm(bin, { recursive: true, force: true });
      }
    });

    it('finds nothing on an empty PATH (the optional npm packages are not installed)', function () {
      const optional = ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'].some((p) => {
        try {
          require.resolve(p);
          return true;
        } catch {
          return false;
        }
      });
      if (optional) this.skip();
      const found = locateMediaTools({ PATH: '' });
      assert.equal(found.ffmpeg, undefined);
      assert.equal(found.ffprobe, undefined);
      assert.match(missingToolsMessage(found, 'ffmpeg'), INSTALL);
    });

    it('runTool rejects with the stderr tail on a non-zero exit, and kills on timeout', async () => {
      const failed = await runTool(process.execPath, ['-e', "process.stderr.write('first\\nlast words'); process.exit(3)"]).catch((e: unknown) => e);
      assert.ok(failed instanceof ToolError);
      assert.equal(failed.exitCode, 3);
      assert.match(failed.stderr, /last words/);
      assert.match(failed.message, /exited with code 3: first \| last words/);

      const started = Date.now();
      const slow = await runTool(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { timeoutMs: 200 }).catch((e: unknown) => e);
      assert.ok(slow instanceof ToolError && slow.timedOut);
      assert.ok(Date.now() - started < 5000);

      const ok = await runTool(process.execPath, ['-e', "process.stdout.write('out')"]);
      assert.equal(ok.stdout, 'out');
    });

    it('runTool stops on abort', async () => {
      const ac = new AbortController();
      const pending = runTool(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    });
  });

  describe('MediaInfo', () => {
    it('maps ffprobe onto the documented structure', async () => {
      const info = await probeMediaInfo(tools, clean);
      assertAllStrings(info);
      assert.ok(Math.abs(Number(info.Format?.Duration) - 4) < 0.1, info.Format?.Duration);
      assert.match(info.Format?.Duration ?? '', /^\d+\.\d{6}$/);
      assert.equal(info.Format?.NumStream, '2');
      assert.match(info.Format?.FormatName ?? '', /mp4/);
      assert.match(info.Format?.Bitrate ?? '', /^\d+\.\d{6}$/);
      assert.ok(Number(info.Format?.Bitrate) > 100 && Number(info.Format?.Bitrate) < 20000, 'Bitrate is in kbps');
      const video = info.Stream?.Video?.[0];
      assert.ok(video);
      assertFields(video, {
        Width: '640',
        Height: '360',
        CodecName: 'h264',
        Fps: '25.000000',
        AvgFps: '25.000000',
        PixFormat: 'yuv420p',
        Language: 'und',
        Rotation: '0',
        NumFrames: '100',
      });
      const audio = info.Stream?.Audio?.[0];
      assert.ok(audio);
      assertFields(audio, { CodecName: 'aac', SampleRate: '44100', Channel: '1', ChannelLayout: 'mono' });
      assert.deepEqual(info.Stream?.Subtitle, []);
    });

    it('gives no Audio entry for a video without sound', async () => {
      const info = await probeMediaInfo(tools, videoOnly);
      assert.deepEqual(info.Stream?.Audio, []);
      assert.equal(info.Stream?.Video?.[0].Width, '320');
    });

    it('reads rotation, language and leaves out what ffprobe does not give', () => {
      const info = mapMediaInfo({
        format: { nb_streams: 1, format_name: 'mov', duration: '13.654', bit_rate: '834736' },
        streams: [
          {
            index: 0,
            codec_type: 'video',
            width: 544,
            height: 960,
            avg_frame_rate: '0/0',
            r_frame_rate: '30000/1001',
            level: -99,
            tags: { language: 'eng' },
            side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
          },
        ],
      });
      assert.equal(info.Format?.Duration, '13.654000');
      assert.equal(info.Format?.Bitrate, '834.736000');
      const video = info.Stream?.Video?.[0] ?? {};
      assertFields(video, { Rotation: '90', Language: 'eng', Fps: '29.970030' });
      assert.ok(!('AvgFps' in video) && !('Level' in video) && !('Bitrate' in video));
      assertAllStrings(info);
    });

    it('reports ResourceNotSupported for a file that is not media', async () => {
      await rejectsWithCode(probeMediaInfo(tools, notMedia), 'ResourceNotSupported');
    });

    it('reports InternalError with install instructions when ffprobe is missing', async () => {
      await rejectsWithCode(probeMediaInfo({ source: 'test: none' }, clean), 'InternalError', INSTALL);
    });
  });

  describe('Snapshot', () => {
    type Written = { key: string; data: Buffer };
    async function snapshot(inputFile: string, params: Record<string, unknown>, extra: Partial<SnapshotJob> = {}) {
      const written: Written[] = [];
      const result = await runSnapshot(tools, {
        inputFile,
        params,
        jobId: 'j0123456789abcdef',
        writeObject: async (key, data) => {
          written.push({ key, data });
        },
        ...extra,
      });
      return { result, written, keys: written.map((w) => w.key) };
    }

    it('Interval: Start 0, TimeInterval 1, Count 3, Width 320 → three 320x180 JPEGs', async () => {
      const { result, written, keys } = await snapshot(
        clean,
        { Mode: 'Interval', Start: '0', TimeInterval: '1', Count: '3', Width: '320' },
        { objectPattern: 'out/s-${number}.jpg' },
      );
      assert.deepEqual(keys, ['out/s-0.jpg', 'out/s-1.jpg', 'out/s-2.jpg']);
      for (const { data } of written) {
        assert.ok(isJpeg(data));
        assert.deepEqual(imageInfo(data), { type: 'jpeg', width: 320, height: 180 });
      }
      assert.deepEqual(result, { OutputFile: { ObjectPrefix: 'out/s-', ObjectName: ['0.jpg', '1.jpg', '2.jpg'] } });
      assertAllStrings(result);
    });

    it('substitutes ${time} (ms), ${Number}, ${jobid} and ${ext}', async () => {
      const { result, keys } = await snapshot(
        clean,
        { Start: '0.5', TimeInterval: '1.5', Count: '2', Height: '180' },
        { objectPattern: 'o/${jobid}/${Number}-${time}.${ext}' },
      );
      // 25 fps: no frame at 0.5 s, so the first shot is the next frame (0.52 s); the grid stays at Start + k·TimeInterval.
      assert.deepEqual(keys, ['o/j0123456789abcdef/0-520.jpg', 'o/j0123456789abcdef/1-2000.jpg']);
      assert.equal(result.OutputFile.ObjectPrefix, 'o/');
      assert.deepEqual(result.OutputFile.ObjectName, ['j0123456789abcdef/0-520.jpg', 'j0123456789abcdef/1-2000.jpg']);
    });

    it('Average spreads Count shots from Start to the end', async () => {
      const { keys, written } = await snapshot(clean, { Mode: 'Average', Count: '4', Height: '128' }, { objectPattern: 'avg/${time}.jpg' });
      assert.deepEqual(keys, ['avg/0.jpg', 'avg/1000.jpg', 'avg/2000.jpg', 'avg/3000.jpg']);
      assert.deepEqual(imageInfo(written[0].data), { type: 'jpeg', width: 228, height: 128 });
      const late = await snapshot(clean, { Mode: 'Average', Start: '2', Count: '2' }, { objectPattern: 'avg/${time}.jpg' });
      assert.deepEqual(late.keys, ['avg/2000.jpg', 'avg/3000.jpg']);
    });

    it('Count without TimeInterval takes consecutive frames', async () => {
      const { keys } = await snapshot(clean, { Start: '1', Count: '3' }, { objectPattern: 'c/${time}.jpg' });
      assert.deepEqual(keys, ['c/1000.jpg', 'c/1040.jpg', 'c/1080.jpg']);
    });

    it('TimeInterval without Count runs to the end', async () => {
      const { keys } = await snapshot(clean, { Start: '0', TimeInterval: '1.5' }, { objectPattern: 'i/${time}.jpg' });
      assert.deepEqual(keys, ['i/0.jpg', 'i/1520.jpg', 'i/3000.jpg'], 'the first frame at or after each 1.5 s step');
    });

    it('KeyFrame captures the key frames (one per second in the clip)', async () => {
      const { keys } = await snapshot(clean, { Mode: 'KeyFrame', Count: '3' }, { objectPattern: 'k/${time}.jpg' });
      assert.deepEqual(keys, ['k/0.jpg', 'k/1000.jpg', 'k/2000.jpg']);
    });

    it('IsCheckCount falls back to Average when Interval cannot reach Count', async () => {
      const params = { Start: '1', TimeInterval: '2', Count: '5' };
      const plain = await snapshot(clean, params, { objectPattern: 'n/${time}.jpg' });
      assert.deepEqual(plain.keys, ['n/1000.jpg', 'n/3000.jpg']);
      const checked = await snapshot(clean, { ...params, IsCheckCount: 'true' }, { objectPattern: 'n/${time}.jpg' });
      assert.deepEqual(checked.keys, ['n/1000.jpg', 'n/1600.jpg', 'n/2200.jpg', 'n/2800.jpg', 'n/3400.jpg']);
    });

    it('CIParam imageMogr2/format/png writes PNGs and ${ext} = png', async () => {
      const { keys, written } = await snapshot(clean, { Count: '1', Width: '160', CIParam: 'imageMogr2/format/png' }, { objectPattern: 'p/shot.${ext}' });
      assert.deepEqual(keys, ['p/shot.png']);
      assert.ok(isPng(written[0].data));
      assert.deepEqual(imageInfo(written[0].data), { type: 'png', width: 160, height: 90 });
      assert.equal(shotFormat('imageMogr2/thumbnail/100x/format/jpeg'), 'jpg');
      assert.equal(shotFormat('imageMogr2/format/webp'), 'jpg');
      assert.equal(shotFormat('format/png'), 'jpg');
    });

    it('sprites: 2x2 cells of 160x90, Padding 2, Margin 4 → 330x190 sheets', async () => {
      const { result, keys, written } = await snapshot(
        clean,
        {
          Start: '0',
          TimeInterval: '0.5',
          Count: '6',
          Width: '320',
          SnapshotOutMode: 'SnapshotAndSprite',
          SpriteSnapshotConfig: { Color: 'Azure', Columns: '2', Lines: '2', CellWidth: '160', CellHeight: '90', Padding: '2', Margin: '4' },
        },
        { objectPattern: 'out/snapshot-${number}.jpg', spritePattern: 'out/sprite-${number}.jpg' },
      );
      // tile: width = Columns·cell + (Columns-1)·Padding + 2·Margin = 2·160 + 2 + 8
      assert.deepEqual(keys, [
        'out/snapshot-0.jpg',
        'out/snapshot-1.jpg',
        'out/snapshot-2.jpg',
        'out/snapshot-3.jpg',
        'out/snapshot-4.jpg',
        'out/snapshot-5.jpg',
        'out/sprite-0.jpg',
        'out/sprite-1.jpg',
      ]);
      for (const w of written.slice(6)) assert.deepEqual(imageInfo(w.data), { type: 'jpeg', width: 330, height: 190 });
      assert.deepEqual(result.OutputFile.SpriteOutputFile, { ObjectPrefix: 'out/sprite-', ObjectName: ['0.jpg', '1.jpg'] });
      assert.equal(result.OutputFile.ObjectName?.length, 6);
    });

    it('OnlySprite writes only sheets; cells default to the shot size; scale methods', async () => {
      const only = await snapshot(
        clean,
        {
          Start: '0',
          TimeInterval: '1',
          Count: '3',
          Width: '200',
          SnapshotOutMode: 'OnlySprite',
          SpriteSnapshotConfig: { Color: 'Black', Columns: '3', Lines: '1' },
        },
        { objectPattern: 'x/${number}.jpg', spritePattern: 'x/sheet-${number}.jpg' },
      );
      assert.deepEqual(only.keys, ['x/sheet-0.jpg']);
      assert.deepEqual(imageInfo(only.written[0].data), { type: 'jpeg', width: 600, height: 112 });
      assert.deepEqual(only.result.OutputFile, { ObjectPrefix: 'x/', ObjectName: [], SpriteOutputFile: { ObjectPrefix: 'x/sheet-', ObjectName: ['0.jpg'] } });

      const sheet = async (ScaleMethod: string) => {
        const r = await snapshot(
          clean,
          {
            Start: '0',
            TimeInterval: '1',
            Count: '2',
            SnapshotOutMode: 'OnlySprite',
            SpriteSnapshotConfig: { Color: '#336699', Columns: '2', Lines: '1', CellWidth: '100', CellHeight: '100', ScaleMethod },
          },
          { spritePattern: 'y/${number}.jpg' },
        );
        return imageInfo(r.written[0].data);
      };
      assert.deepEqual(await sheet('DirectScale'), { type: 'jpeg', width: 200, height: 100 });
      assert.deepEqual(await sheet('MaxWHScale'), { type: 'jpeg', width: 200, height: 56 });
      assert.deepEqual(await sheet('MaxWHScaleAndPad'), { type: 'jpeg', width: 200, height: 100 });
    });

    it('IsCheckBlack skips the leading black part when Start is 0', async () => {
      const params = { Start: '0', TimeInterval: '0.5', Count: '3' };
      const plain = await snapshot(blackStart, params, { objectPattern: 'b/${time}.jpg' });
      assert.deepEqual(plain.keys, ['b/0.jpg', 'b/520.jpg', 'b/1000.jpg']);
      const checked = await snapshot(
        blackStart,
        { ...params, IsCheckBlack: 'true', BlackLevel: '90', PixelBlackThreshold: '40' },
        { objectPattern: 'b/${time}.jpg' },
      );
      assert.deepEqual(checked.keys, ['b/1000.jpg', 'b/1520.jpg', 'b/2000.jpg']);
      const defaults = await snapshot(blackStart, { ...params, IsCheckBlack: 'true' }, { objectPattern: 'b/${time}.jpg' });
      assert.equal(defaults.keys[0], 'b/1000.jpg');
      const later = await snapshot(blackStart, { ...params, Start: '0.2', IsCheckBlack: 'true' }, { objectPattern: 'b/${time}.jpg' });
      assert.equal(later.keys[0], 'b/200.jpg', 'ignored when Start > 0');
    });

    it('uses snapshot/${jobid}/${number}.${ext} without Output.Object and cleans its temp folder', async () => {
      const before = (await readdir(tmpdir())).filter((f) => f.startsWith('ci-emulator-snapshot-')).length;
      const { result, keys } = await snapshot(clean, { Count: '1' });
      assert.deepEqual(keys, ['snapshot/j0123456789abcdef/0.jpg']);
      assert.deepEqual(result.OutputFile, { ObjectPrefix: 'snapshot/', ObjectName: ['j0123456789abcdef/0.jpg'] });
      const after = (await readdir(tmpdir())).filter((f) => f.startsWith('ci-emulator-snapshot-')).length;
      assert.equal(after, before);
    });

    it('errors: not media, no video stream, Start past the end, ffmpeg missing', async () => {
      await rejectsWithCode(snapshot(notMedia, { Count: '1' }), 'ResourceNotSupported');
      await rejectsWithCode(snapshot(audioOnly, { Count: '1' }), 'ResourceNotSupported', /no video stream/);
      await rejectsWithCode(snapshot(clean, { Start: '9', Count: '1' }), 'InvalidArgument', /beyond the end/);
      const noFfmpeg: MediaTools = { ffprobe: tools.ffprobe, source: 'test: ffmpeg removed' };
      await rejectsWithCode(
        runSnapshot(noFfmpeg, { inputFile: clean, params: { Count: '1' }, jobId: 'j1', writeObject: async () => {} }),
        'InternalError',
        INSTALL,
      );
    });
  });

  describe('output keys', () => {
    it('splits ObjectPrefix (text before the first wildcard) from ObjectName', () => {
      assert.equal(objectPrefix('output/snapshot-${Number}.jpg'), 'output/snapshot-');
      assert.equal(objectPrefix('plain/key.jpg'), '');
      assert.deepEqual(outputKeys('plain/key.jpg', [{ time: 0, jobId: 'j', ext: 'jpg' }]), {
        keys: ['plain/key.jpg'],
        ObjectPrefix: '',
        ObjectName: ['plain/key.jpg'],
      });
      assert.equal(substituteKey('${jobid}/${NUMBER}-${time}-${other}.${ext}', { number: 7, time: 1.2345, jobId: 'jx', ext: 'png' }), 'jx/7-1235-${other}.png');
    });
  });

  describe('QualityEstimate', () => {
    let cleanScore: number;
    let degradedScore: number;

    it('general mode returns the Score only', async () => {
      const result = await estimateQuality(tools, clean, { Mode: 'general' });
      assert.deepEqual(Object.keys(result), ['Score']);
      assert.match(result.Score ?? '', /^\d+\.\d{6}$/);
      cleanScore = Number(result.Score);
      assert.ok(cleanScore >= 7.5 && cleanScore <= 10, `clean score ${cleanScore}`);
    });

    it('the degraded clip scores clearly lower and has Blur, SolidColorScreen and NoVoice in the right stretches', async () => {
      const result = await estimateQuality(tools, degraded, { Mode: 'vqaPlus', Rotate: '90' });
      assertAllStrings(result);
      degradedScore = Number(result.Score);
      assert.ok(cleanScore - degradedScore >= 2, `clean ${cleanScore} vs degraded ${degradedScore}`);
      const vqa = result.VqaPlusResult;
      assert.ok(vqa);
      assert.equal(vqa.NoAudio, 'false');
      assert.equal(vqa.NoVideo, 'false');
      const items = (type: string) => vqa.DetailedResult?.find((d) => d.Type === type)?.Items ?? [];
      const inside = (type: string, from: number, to: number) => {
        const list = items(type);
        assert.ok(list.length > 0, `${type} found`);
        for (const item of list) {
          assert.match(item.StartTimeOffset ?? '', /^\d+\.\d{3}$/);
          assert.match(item.Confidence ?? '', /^\d+$/);
          assert.ok(Number(item.Confidence) >= 0 && Number(item.Confidence) <= 100);
          assert.ok(
            Number(item.StartTimeOffset) >= from - 0.5 && Number(item.EndTimeOffset) <= to + 0.5,
            `${type} ${item.StartTimeOffset}–${item.EndTimeOffset} not in ${from}–${to}`,
          );
        }
        const covered = list.reduce((s, i) => s + Number(i.EndTimeOffset) - Number(i.StartTimeOffset), 0);
        assert.ok(covered >= to - from - 0.5, `${type} covers ${covered} s`);
      };
      inside('SolidColorScreen', 1.52, 3.04);
      inside('NoVoice', 1.52, 3.04);
      inside('Blur', 3.04, 4.56);
      assert.deepEqual(items('Jitter'), [], 'the frozen black stretch is a solid screen, not jitter');
      assert.ok(vqa.DetailedResult?.every((d) => (d.Items?.length ?? 0) > 0));
    });

    it('a video without audio: NoAudio true and no NoVoice', async () => {
      const result = await estimateQuality(tools, videoOnly, { Mode: 'vqaPlus' });
      assert.equal(result.VqaPlusResult?.NoAudio, 'true');
      assert.equal(result.VqaPlusResult?.NoVideo, 'false');
      assert.ok(!result.VqaPlusResult?.DetailedResult?.some((d) => d.Type === 'NoVoice'));
    });

    it('audio only: NoVideo true, score 0', async () => {
      const result = await estimateQuality(tools, audioOnly, { Mode: 'vqaPlus' });
      assert.equal(result.VqaPlusResult?.NoVideo, 'true');
      assert.equal(result.VqaPlusResult?.NoAudio, 'false');
      assert.equal(result.Score, '0.000000');
    });

    it('errors: not media, ffmpeg missing', async () => {
      await rejectsWithCode(estimateQuality(tools, notMedia, {}), 'ResourceNotSupported');
      await rejectsWithCode(estimateQuality({ ffprobe: tools.ffprobe, source: 'test' }, clean, {}), 'InternalError', INSTALL);
    });

    it('parses open-ended freezes and silences as running to the end', () => {
      const log = [
        '[freezedetect @ 0x1] lavfi.freezedetect.freeze_start: 2.5',
        '[silencedetect @ 0x2] silence_start: 3',
        '[Parsed_metadata_7 @ 0x3] frame:0    pts:0       pts_time:0.1',
        '[Parsed_metadata_7 @ 0x3] lavfi.blur=-nan',
        '[Parsed_metadata_8 @ 0x4] frame:0    pts:0       pts_time:0.1',
        '[Parsed_metadata_8 @ 0x4] lavfi.signalstats.YAVG=16.5',
      ].join('\n');
      const parsed = parseQualityLog(log, 5);
      assert.deepEqual(parsed.freeze, [{ start: 2.5, end: 5 }]);
      assert.deepEqual(parsed.silence, [{ start: 3, end: 5 }]);
      assert.deepEqual(parsed.samples, [{ t: 0.1, blur: undefined, yavg: 16.5 }]);
    });

    it('exports the formula', () => {
      assert.match(QUALITY_FORMULA, /score = base/);
    });
  });
});
