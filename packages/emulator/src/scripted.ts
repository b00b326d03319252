/**
 * Scripted results for the job types whose descriptor says `emulation: { scripted }`
 * (VideoTag, VideoTargetRec): no recognition model can ship with the emulator, so their
 * results come from, in order:
 *   1. a JSON file beside the input object: `<key>.ci-result.json`;
 *   2. the scenario file's `results[<key>]`;
 *   3. nothing: the job succeeds with empty result lists.
 * The script holds what the result element should contain, either directly
 * (`{ "StreamData": … }`) or keyed by element (`{ "VideoTagResult": …, "VideoTargetRecResult": … }`),
 * and may script a failure: `{ "State": "Failed", "Code": "…", "Message": "…" }`.
 * `"QueuedSeconds": N` keeps the job Submitted for N seconds, as a busy queue would (so that
 * it can be cancelled, or a wait can time out); it is read when the job is submitted.
 * Every such job's Message says that its result is emulated.
 */
import { readFile, stat } from 'node:fs/promises';
import { JOB_DESCRIPTORS, JOB_TAGS, getDescriptor, type JobTag } from '@node-red-tencent-ci/core';
import type { Scenario } from './scenario';

export interface ScriptedOutcome {
  state: 'Success' | 'Failed';
  code: string;
  message: string;
  result: Record<string, unknown>;
}

/** The result element of every scripted job type, e.g. `VideoTagResult`. */
const SCRIPTED_ELEMENTS: readonly string[] = JOB_TAGS.flatMap((tag) => {
  const { emulation } = JOB_DESCRIPTORS[tag];
  return 'scripted' in emulation ? [emulation.scripted.element] : [];
});

/** Whether a job type's results are scripted rather than computed. */
export function isScripted(tag: JobTag): boolean {
  return 'scripted' in getDescriptor(tag).emulation;
}

/** Script keys that control the emulation rather than the result. */
const CONTROL_KEYS = ['QueuedSeconds'];

async function readScript(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`The result script ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function findScript(key: string | undefined, scriptFile: string | undefined, scenario: Scenario): Promise<{ script: unknown; source: string }> {
  const script = await readScript(scriptFile);
  return scriptOrScenario(script, key, scenario);
}

function scriptOrScenario(script: unknown, key: string | undefined, scenario: Scenario): { script: unknown; source: string } {
  if (script === undefined && key !== undefined && scenario.results && Object.prototype.hasOwnProperty.call(scenario.results, key)) {
    return { script: scenario.results[key], source: `the scenario's results["${key}"]` };
  }
  return { script, source: `${key}.ci-result.json` };
}

/**
 * How long a script keeps its job queued (seconds, 0 when it does not say). A value that is
 * not a non-negative number is a mistake in the script, reported as such.
 */
export async function scriptedQueueSeconds(key: string | undefined, scriptFile: string | undefined, scenario: Scenario): Promise<number> {
  // Only a plain file is read at submit time: a pipe (which tests use to hold a job in
  // Running) would block the submit until it is written.
  const plain = scriptFile
    ? await stat(scriptFile).then(
        (s) => s.isFile(),
        () => false,
      )
    : false;
  const { script, source } = scriptOrScenario(plain ? await readScript(scriptFile) : undefined, key, scenario);
  if (!script || typeof script !== 'object' || !('QueuedSeconds' in script)) return 0;
  const value = (script as Record<string, unknown>).QueuedSeconds;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`QueuedSeconds in ${source} must be a number of seconds (0 or more), not ${JSON.stringify(value)}`);
  }
  return value;
}

export async function scriptedOutcome(tag: JobTag, key: string | undefined, scriptFile: string | undefined, scenario: Scenario): Promise<ScriptedOutcome> {
  const { emulation } = getDescriptor(tag);
  if (!('scripted' in emulation)) throw new TypeError(`${tag} results are not scripted`);
  const { element, empty } = emulation.scripted;
  const { script, source } = await findScript(key, scriptFile, scenario);
  if (script === undefined) {
    return {
      state: 'Success',
      code: 'Success',
      message: `Emulated result: the emulator runs no ${tag} model, so the result lists are empty; script one with ${key ?? 'the input'}.ci-result.json or a scenario file`,
      result: { [element]: empty },
    };
  }
  const obj = { ...(script && typeof script === 'object' ? script : {}) } as Record<string, unknown>;
  for (const control of CONTROL_KEYS) delete obj[control];
  if (obj.State === 'Failed') {
    return { state: 'Failed', code: String(obj.Code ?? 'InternalError'), message: String(obj.Message ?? `Emulated failure scripted by ${source}`), result: {} };
  }
  // A script keyed by element may hold another job type's result only: this one's is then empty.
  const keyed = SCRIPTED_ELEMENTS.some((e) => e in obj);
  const content = element in obj ? obj[element] : keyed ? empty : obj;
  return { state: 'Success', code: 'Success', message: `Emulated result scripted by ${source}`, result: { [element]: content } };
}
