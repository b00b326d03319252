/**
 * A job node's "at once, without a job" mode (wait = `instant`, docs/api/instant.md): the
 * instant API the job type's descriptor declares, asked for the node's input object.
 *
 * - MediaInfo (GetMediaInfo): `msg.payload` is shaped like a finished MediaInfo job's
 *   JobsDetail (`Tag`, `State: Success`, `Input`, `Operation.MediaInfo`) but has no JobId;
 * - Snapshot (GetSnapshot): `msg.payload` is the image Buffer, and `msg.ci` says its time,
 *   size, format and content type.
 *
 * `msg.ci.instant` is true either way. Parameters come from the node's `instant_*` properties,
 * overridden by `msg.ciParams` (`{ time: 3 }`) unless the node blocks overrides.
 */
import { CiError, isObject, type InstantTag, type JobDescriptor } from '@node-red-tencent-ci/core';
import type { CiConnection } from './config-node';
import { instantParamsFromNode, mergeParams } from './fields';
import type { NodeMessage } from './node-red';

/** The parameters of one call: the node's, with the message's override. */
export function instantParams(descriptor: JobDescriptor, props: Record<string, unknown>, override: unknown): Record<string, unknown> {
  const base = instantParamsFromNode(descriptor, props);
  return isObject(override) ? mergeParams(base, override) : base;
}

/** Asks the instant API of `tag` about `key` and puts the answer on `msg`. */
export async function callInstant(ci: CiConnection, tag: InstantTag, key: string, params: Record<string, unknown>, msg: NodeMessage): Promise<void> {
  const client = ci.client();
  const where = { bucket: ci.bucket, region: ci.region, key };
  if (tag === 'MediaInfo') {
    if (Object.keys(params).length > 0) {
      // The call has no parameters: a leftover (from msg.ciParams) is a mistake to name, not to drop.
      throw new CiError({ code: 'InvalidArgument', message: `Invalid instant MediaInfo: it takes no parameters, got ${Object.keys(params).join(', ')}` });
    }
    const answer = await client.getMediaInfo(key);
    msg.payload = {
      Tag: 'MediaInfo',
      State: 'Success',
      Input: { Object: key, BucketId: ci.bucket, Region: ci.region },
      Operation: { MediaInfo: answer.MediaInfo },
    };
    msg.ci = { requestId: answer.requestId, tag, state: 'Success', instant: true, ...where };
    return;
  }
  const frame = await client.getSnapshot(key, params);
  msg.payload = frame.body;
  msg.ci = {
    requestId: frame.requestId,
    tag,
    state: 'Success',
    instant: true,
    ...where,
    time: Number(frame.params.time),
    width: frame.image?.width,
    height: frame.image?.height,
    format: frame.image?.type === 'png' ? 'png' : 'jpg',
    contentType: frame.contentType ?? (frame.image?.type === 'png' ? 'image/png' : 'image/jpeg'),
    bytes: frame.body.length,
  };
}
