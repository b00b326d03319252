import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobRefs, jobRefsOf } from '../src/job-ids';

const A = 'j8d121820f5e411ec926ef19d53ba9c6f';
const B = 'j0a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('job ids in a message', () => {
  it('reads a JobId string (trimmed)', () => {
    assert.deepEqual(jobRefs(` ${A} `), { kind: 'jobs', jobs: [{ jobId: A }] });
  });

  it('reads every JobId of { JobsDetail: [...] }, each once, keeping its detail', () => {
    const d1 = { JobId: A, State: 'Submitted' };
    const d2 = { JobId: B, State: 'Submitted' };
    assert.deepEqual(jobRefs({ JobsDetail: [d1, d2, d1] }), {
      kind: 'jobs',
      jobs: [
        { jobId: A, detail: d1 },
        { jobId: B, detail: d2 },
      ],
    });
  });

  it('calls "", null, [] and { JobsDetail: [] } empty', () => {
    for (const v of ['', '  ', null, undefined, [], { JobsDetail: [] }]) assert.deepEqual(jobRefs(v), { kind: 'empty' }, JSON.stringify(v));
  });

  it('names the part that is not a JobId: a number, a path, an object without JobId', () => {
    assert.deepEqual(jobRefs(42), { kind: 'invalid', value: 42 });
    assert.deepEqual(jobRefs([A, '../jobs']), { kind: 'invalid', value: '../jobs' });
    assert.deepEqual(jobRefs({ JobId: 7 }), { kind: 'invalid', value: 7 });
    assert.deepEqual(jobRefs({ id: A }), { kind: 'invalid', value: { id: A } });
  });

  it('falls back from the configured property to msg.jobId, then msg.payload.JobId, then msg.payload.JobsDetail', () => {
    assert.deepEqual(jobRefsOf(B, { jobId: A }), { kind: 'jobs', jobs: [{ jobId: B }] });
    assert.deepEqual(jobRefsOf(undefined, { jobId: A, payload: { JobId: B } }), { kind: 'jobs', jobs: [{ jobId: A }] });
    assert.deepEqual(jobRefsOf(undefined, { payload: { JobId: B } }), { kind: 'jobs', jobs: [{ jobId: B, detail: { JobId: B } }] });
    assert.deepEqual(jobRefsOf('', { payload: { JobsDetail: [{ JobId: A }] } }), { kind: 'jobs', jobs: [{ jobId: A, detail: { JobId: A } }] });
  });

  it('does not take a string msg.payload for a JobId', () => {
    assert.deepEqual(jobRefsOf(undefined, { payload: A }), { kind: 'empty' });
  });
});

describe('catalogs', () => {
  const dist = join(__dirname, '..', 'dist', 'locales');
  const catalog = (lang: string) => JSON.parse(readFileSync(join(dist, lang, 'tencent-ci-wait.json'), 'utf8'));
  const lookup = (obj: any, key: string) => key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
  const keys = (obj: any, prefix = ''): string[] =>
    Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

  const source = ['tencent-ci-wait.ts'].map((f) => readFileSync(join(__dirname, '..', 'src', f), 'utf8')).join('\n');
  // The built editor: its shared rows (name, config, job id) are filled in from config's snippets.
  const editor = readFileSync(join(__dirname, '..', 'dist', 'tencent-ci-wait.html'), 'utf8');
  const used = new Set<string>([
    ...[...source.matchAll(/'((?:wait|common)\.[A-Za-z.]+)'/g)].map((m) => m[1]!),
    ...[...editor.matchAll(/(?:data-i18n="(?:\[placeholder\])?|this\._\(|')((?:wait|common)\.[A-Za-z.]+)/g)].map((m) => m[1]!),
    // what StatusTracker shows (common.status.<key>)
    ...['waiting', 'success', 'failed', 'timeout', 'error'].map((k) => `common.status.${k}`),
  ]);

  for (const lang of readdirSync(dist)) {
    it(`${lang} has every key the node and its editor use`, () => {
      const missing = [...used].filter((k) => typeof lookup(catalog(lang), k) !== 'string');
      assert.deepEqual(missing, []);
    });
  }

  it('zh-CN has the same keys as en-US', () => {
    assert.deepEqual(keys(catalog('zh-CN')).sort(), keys(catalog('en-US')).sort());
  });

  it('the warning without a persistent store says how to configure contextStorage', () => {
    assert.match(catalog('en-US').common.tracker.ephemeral, /contextStorage: \{ default: \{ module: 'localfilesystem' \} \}/);
  });
});
