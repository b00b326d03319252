/**
 * A finished job's result at a glance, for the editor's Tencent CI sidebar: small enough to
 * publish with every row (never the result itself, which can be megabytes for VideoTag).
 *
 * - QualityEstimate: its score, `Operation.QualityEstimate.Score` (0–10; vqaPlus mode gives
 *   the same overall Score beside its findings, docs/api/job-types.md#qualityestimate).
 * - VideoTag: the three tags with the highest confidence (`StreamData.Data.Tags`, else the
 *   ShortVideo `Labels`).
 * - VideoTargetRec: how many targets of each kind were found (people, pets, cars, faces,
 *   plates).
 * - Snapshot: the object keys of the first few frames and sprite sheets, and how many there
 *   are (the sidebar shows them as thumbnails through GET /tencent-ci/object/:configId).
 */
import type { JobsDetail, QualityEstimateOperation, VideoTagOperation, VideoTargetRecOperation } from '@node-red-tencent-ci/core';
import type { Glance, TargetKind } from './board-wire';

export type { Glance, TargetKind } from './board-wire';

/** The kinds of target VideoTargetRec finds, by the result list that holds them and the list inside each entry. */
export const TARGET_KINDS: Readonly<Record<TargetKind, readonly [string, string]>> = {
  body: ['BodyRecognition', 'BodyInfo'],
  pet: ['PetRecognition', 'PetInfo'],
  car: ['CarRecognition', 'CarInfo'],
  face: ['FaceRecognition', 'FaceInfo'],
  plate: ['LicenseRecognitionResult', 'PlateInfo'],
};

/** An output object of a job as core's jobOutputs names it. */
export interface GlanceOutput {
  kind: string;
  key: string;
}

/** Thumbnails a row shows at most. */
export const MAX_FRAMES = 4;
export const MAX_SPRITES = 2;
const MAX_TAGS = 3;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const confidence = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) ? n : -1;
};

function score(detail: JobsDetail<QualityEstimateOperation>): Glance | undefined {
  const value = text(detail.Operation?.QualityEstimate?.Score);
  return value ? { kind: 'score', score: value } : undefined;
}

function tags(detail: JobsDetail<VideoTagOperation>): Glance | undefined {
  const data = detail.Operation?.VideoTagResult?.StreamData?.Data;
  let found = list(data?.Tags).flatMap((t) => {
    const tag = t as { Tag?: unknown; Confidence?: unknown };
    const name = text(tag.Tag);
    return name ? [{ name, confidence: text(tag.Confidence) }] : [];
  });
  if (found.length === 0) {
    found = list(data?.Labels).flatMap((l) => {
      const label = l as { First?: unknown; Second?: unknown; Confidence?: unknown };
      const name = text(label.Second) ?? text(label.First);
      return name ? [{ name, confidence: text(label.Confidence) }] : [];
    });
  }
  if (found.length === 0) return undefined;
  const top = [...found].sort((a, b) => confidence(b.confidence) - confidence(a.confidence)).slice(0, MAX_TAGS);
  return { kind: 'tags', tags: top.map((t) => (t.confidence === undefined ? { name: t.name } : t)) };
}

function targets(detail: JobsDetail<VideoTargetRecOperation>): Glance | undefined {
  const result = detail.Operation?.VideoTargetRecResult as Record<string, unknown> | undefined;
  if (!result) return undefined;
  const counts: Partial<Record<TargetKind, number>> = {};
  for (const [kind, [listName, infoName]] of Object.entries(TARGET_KINDS) as Array<[TargetKind, readonly [string, string]]>) {
    const entries = list(result[listName]);
    if (entries.length === 0) continue;
    counts[kind] = entries.reduce<number>((sum, entry) => sum + list((entry as Record<string, unknown> | null)?.[infoName]).length, 0);
  }
  return { kind: 'targets', counts };
}

function images(outputs: readonly GlanceOutput[]): Glance | undefined {
  const frames = outputs.filter((o) => o.kind === 'snapshot').map((o) => o.key);
  const sprites = outputs.filter((o) => o.kind === 'sprite').map((o) => o.key);
  if (frames.length === 0 && sprites.length === 0) return undefined;
  return {
    kind: 'images',
    frames: frames.slice(0, MAX_FRAMES),
    sprites: sprites.slice(0, MAX_SPRITES),
    frameCount: frames.length,
    spriteCount: sprites.length,
  };
}

/** The glance of a job that ended with Success; undefined for other states and tags. `outputs`: core's jobOutputs(detail). */
export function glanceOf(detail: JobsDetail, outputs: readonly GlanceOutput[] = []): Glance | undefined {
  if (detail.State !== 'Success') return undefined;
  switch (detail.Tag) {
    case 'QualityEstimate':
      return score(detail as JobsDetail<QualityEstimateOperation>);
    case 'VideoTag':
      return tags(detail as JobsDetail<VideoTagOperation>);
    case 'VideoTargetRec':
      return targets(detail as JobsDetail<VideoTargetRecOperation>);
    case 'Snapshot':
      return images(outputs);
    default:
      return undefined;
  }
}

/** The object keys a glance shows (those the sidebar may fetch). */
export function glanceKeys(glance: Glance | undefined): string[] {
  return glance?.kind === 'images' ? [...glance.frames, ...glance.sprites] : [];
}
