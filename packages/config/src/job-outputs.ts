/**
 * `msg.ci.outputs` of a job node's Success output: one entry per object the job wrote (core's
 * `jobOutputs`, driven by the job's descriptor), each with a pre-signed link made with the
 * config node's credentials and, with "Attach small images", the image itself as a Buffer
 * (docs/api/objects.md#in-the-job-nodes).
 *
 * A link holds the SecretId and, with STS keys, the session token, as the official SDKs'
 * links do; it never holds the SecretKey. Nothing here logs a link or a credential.
 */
import { CiError, jobOutputs, numberSetting, type JobsDetail } from '@node-red-tencent-ci/core';
import type { CiConnection } from './config-node';

/** A job node's settings for its outputs, from the flow (blank or missing: the defaults). */
export interface OutputSettings {
  /** Seconds a link stays valid. */
  linkValidity: number;
  /** Whether image outputs get their bytes as `data`. */
  attachImages: boolean;
  /** The most bytes of `data` in one message. */
  attachMaxBytes: number;
}

export const DEFAULT_LINK_VALIDITY_S = 3600;
export const DEFAULT_ATTACH_MIB = 5;
const MIB = 1024 * 1024;

/** The settings of a node; values a saved flow does not have (older nodes) or that are not usable take their defaults. */
export function outputSettings(def: { linkValidity?: unknown; attachImages?: unknown; attachLimit?: unknown }): OutputSettings {
  const validity = numberSetting(def.linkValidity);
  const limit = numberSetting(def.attachLimit);
  return {
    linkValidity: Number.isFinite(validity) && validity >= 1 ? Math.floor(validity) : DEFAULT_LINK_VALIDITY_S,
    attachImages: def.attachImages === true || def.attachImages === 'true',
    attachMaxBytes: Math.floor((Number.isFinite(limit) && limit >= 0 ? limit : DEFAULT_ATTACH_MIB) * MIB),
  };
}

/** One entry of `msg.ci.outputs`. */
export interface OutputEntry {
  /** `snapshot`, `sprite`, `frame`: the job descriptor's kind. */
  kind: string;
  bucket?: string;
  region?: string;
  key?: string;
  /**
   * A pre-signed link for objects in the config node's bucket; otherwise the URL the result
   * gave, if any (an object in another bucket without one has no url).
   */
  url?: string;
  /** The image, with "Attach small images". */
  data?: Buffer;
}

/** What went wrong while filling the entries, for one warning each. */
export interface OutputProblems {
  /** Image outputs that did not fit in the message's total. */
  leftOut: number;
  /** Links or images that could not be made or read, with the first reason. */
  failed: number;
  firstError?: string;
}

const IMAGE_EXT = /\.(?:jpe?g|png|webp|gif)$/i;
const IMAGE_TYPE = /^image\/(?:jpeg|png|webp|gif)\b/i;
/** A key whose last segment has no extension at all: its Content-Type decides. */
const NO_EXT = /(?:^|\/)[^/.]*$/;

/** Lists the objects of a successful job, each with its link (synchronous: signing needs no request). */
export function linkedOutputs(detail: JobsDetail, ci: CiConnection, settings: OutputSettings, problems: OutputProblems): OutputEntry[] {
  const own = (bucket: string, region: string) => bucket === ci.bucket && region === ci.region;
  return jobOutputs(detail, { bucket: ci.bucket, region: ci.region }).map((output) => {
    if (output.key === undefined) return { kind: output.kind, url: output.url };
    const entry: OutputEntry = { kind: output.kind, bucket: output.bucket, region: output.region, key: output.key };
    if (own(output.bucket, output.region)) {
      try {
        entry.url = ci.client().objectUrl(output.key, { expiresIn: settings.linkValidity });
      } catch (err) {
        note(problems, err);
        if (output.url) entry.url = output.url;
      }
    } else if (output.url) {
      entry.url = output.url;
    }
    return entry;
  });
}

function note(problems: OutputProblems, err: unknown): void {
  problems.failed += 1;
  problems.firstError ??= err instanceof Error ? err.message : String(err);
}

/**
 * Adds `data` to the image outputs of the config node's bucket, in order, while the total stays
 * within `maxBytes`; an image that does not fit is left out (and counted), a later smaller
 * one may still fit. Images are read one at a time.
 */
export async function attachImages(entries: OutputEntry[], ci: CiConnection, maxBytes: number, problems: OutputProblems): Promise<void> {
  let left = maxBytes;
  for (const entry of entries) {
    if (entry.key === undefined || entry.bucket !== ci.bucket || entry.region !== ci.region) continue;
    const byKey = IMAGE_EXT.test(entry.key);
    if (!byKey && !NO_EXT.test(entry.key)) continue; // another kind of file (.mp4, .json)
    if (left <= 0) {
      if (byKey) problems.leftOut += 1;
      continue;
    }
    try {
      const object = await ci.client().getObject(entry.key, { maxBytes: left });
      if (!byKey && !IMAGE_TYPE.test(object.contentType ?? '')) continue;
      entry.data = object.body;
      left -= object.contentLength;
    } catch (err) {
      if (err instanceof CiError && err.code === 'BodyTooLarge') {
        if (byKey) problems.leftOut += 1;
      } else {
        note(problems, err);
      }
    }
  }
}
