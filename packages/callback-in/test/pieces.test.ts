/** The small pure parts of the node: which requests it claims and reads, its limits, and when Confirm trusts a job. */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { JobsDetail } from '@node-red-tencent-ci/core';
import { callbackPrefix, claimCallbackBodies, isCallbackPost, isClaimed } from '../src/body-claim';
import { consumedBody, parsedValueProblem } from '../src/body';
import { refusedUnasked, verdictOf } from '../src/confirm';
import { acceptsContentType, shownMediaType } from '../src/content-type';
import { Deliveries } from '../src/deliveries';
import { callbackLimits } from '../src/limits';

const detail = (d: Partial<JobsDetail>) => ({ JobId: 'j1', Tag: 'VideoTag', ...d }) as JobsDetail;

/** `{"x":{"x":…1}}` with `levels` objects. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = { x: value };
  return value;
}

describe('callback-in pieces', () => {
  describe('which requests are claimed before any body parser', () => {
    it('formats the prefix from httpNodeRoot as Node-RED does', () => {
      assert.equal(callbackPrefix('/'), '/tencent-ci/callback');
      assert.equal(callbackPrefix(undefined), '/tencent-ci/callback');
      assert.equal(callbackPrefix('Red'), '/red/tencent-ci/callback');
      assert.equal(callbackPrefix('/api/'), '/api/tencent-ci/callback');
    });

    const prefixes = ['/tencent-ci/callback'];
    const claimed = (method: string, url: string | undefined) => isCallbackPost(method, url, prefixes);

    it('claims POSTs to the prefix and under it, in any case, in origin or absolute form', () => {
      for (const url of [
        '/tencent-ci/callback/jobs?token=t',
        '/Tencent-CI/CALLBACK/jobs/t',
        '/tencent-ci/callback',
        'http://example.com/tencent-ci/callback/jobs',
      ]) {
        assert.equal(claimed('POST', url), true, url);
      }
    });

    it('leaves other methods, other paths and look-alike prefixes to Node-RED', () => {
      const others: Array<[string, string | undefined]> = [
        ['GET', '/tencent-ci/callback/jobs'],
        ['POST', '/tencent-ci/callbacks/jobs'],
        ['POST', '/flows'],
        ['POST', '/api/tencent-ci/callback/jobs'],
        ['POST', undefined],
      ];
      for (const [method, url] of others) assert.equal(claimed(method, url), false, `${method} ${url}`);
    });

    it('installs one listener per server, put before the others, which marks a claimed request as already parsed', () => {
      const server = new EventEmitter();
      server.on('request', () => undefined);
      assert.equal(claimCallbackBodies(server, '/'), true);
      assert.equal(claimCallbackBodies(server, '/'), true);
      assert.equal(server.listenerCount('request'), 2);
      const claimed: Record<string, unknown> = { method: 'POST', url: '/tencent-ci/callback/jobs' };
      const other: Record<string, unknown> = { method: 'POST', url: '/flows' };
      server.emit('request', claimed);
      server.emit('request', other);
      assert.equal(claimed._body, true);
      assert.equal(isClaimed(claimed as never), true);
      assert.equal(other._body, undefined);
      assert.equal(isClaimed(other as never), false);
    });

    it('claims nothing without a server', () => {
      assert.equal(claimCallbackBodies(undefined, '/'), false);
      assert.equal(claimCallbackBodies({}, '/'), false);
    });
  });

  describe('content types', () => {
    it('reads XML types, JSON types, text/plain and no type', () => {
      for (const type of [
        'application/xml',
        'text/xml',
        'application/atom+xml',
        'Application/JSON; charset=utf-8',
        'application/problem+json',
        'text/plain',
        '',
        undefined,
      ]) {
        assert.equal(acceptsContentType(type), true, String(type));
      }
    });

    it('refuses forms, multipart and anything else', () => {
      for (const type of [
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'text/html',
        'xml',
        'application/xml<script>',
      ]) {
        assert.equal(acceptsContentType(type), false, type);
      }
    });

    it('shows a type in a warning only when it looks like one', () => {
      assert.equal(shownMediaType('Application/X-WWW-Form-Urlencoded; charset=utf-8'), 'application/x-www-form-urlencoded');
      assert.equal(shownMediaType('text/html<script>alert(1)</script>'), '?');
    });
  });

  describe('a body some parser consumed anyway', () => {
    const limits = { maxBytes: 1024 * 1024, maxDepth: 64 };

    it('measures nesting without recursion: 64 levels pass, 65 and 100,000 are too deep', () => {
      assert.equal(parsedValueProblem(nested(64), 64, 1e6), undefined);
      assert.equal(parsedValueProblem(nested(65), 64, 1e6), 'tooDeep');
      assert.equal(parsedValueProblem(nested(100_000), 64, 1e6), 'tooDeep');
    });

    it('stops at a cycle (more values than bytes allowed)', () => {
      const cycle: Record<string, unknown> = {};
      cycle.self = [cycle, cycle];
      assert.equal(parsedValueProblem(cycle, 1_000_000, 10_000), 'tooLarge');
    });

    it('turns bytes, text and a shallow object back into bytes', () => {
      assert.deepEqual(consumedBody(Buffer.from('<Response/>'), limits), { kind: 'body', body: Buffer.from('<Response/>') });
      assert.deepEqual(consumedBody('{"a":1}', limits), { kind: 'body', body: Buffer.from('{"a":1}') });
      assert.deepEqual(consumedBody({ a: [1] }, limits), { kind: 'body', body: Buffer.from('{"a":[1]}') });
      assert.deepEqual(consumedBody(undefined, limits), { kind: 'body', body: Buffer.alloc(0) });
    });

    it('refuses a deep object and one over the byte limit', () => {
      assert.deepEqual(consumedBody(nested(65), limits), { kind: 'tooDeep' });
      assert.deepEqual(consumedBody({ text: 'x'.repeat(200) }, { maxBytes: 100, maxDepth: 64 }), { kind: 'tooLarge' });
    });
  });

  describe('limits from settings.js', () => {
    it('defaults to 64 levels and 100 JobsDetail', () => {
      assert.deepEqual(callbackLimits(undefined), { maxDepth: 64, maxJobs: 100, invalid: [] });
    });

    it('takes whole numbers in range', () => {
      assert.deepEqual(callbackLimits({ callback: { maxDepth: 16, maxJobs: 500 } }), { maxDepth: 16, maxJobs: 500, invalid: [] });
    });

    it('falls back to the default for anything else, and says which', () => {
      const limits = callbackLimits({ callback: { maxDepth: 1e9, maxJobs: '5' } });
      assert.equal(limits.maxDepth, 64);
      assert.equal(limits.maxJobs, 100);
      assert.deepEqual(
        limits.invalid.map((l) => l.name),
        ['maxDepth', 'maxJobs'],
      );
    });
  });

  describe('when Confirm trusts a job', () => {
    it('refuses without asking a claim that is not a finished state, or whose JobId cannot exist', () => {
      assert.equal(refusedUnasked(detail({ State: 'Submitted' })), 'notTerminal');
      assert.equal(refusedUnasked(detail({ State: 'Running' })), 'notTerminal');
      assert.equal(refusedUnasked(detail({ JobId: 'j1,j2', State: 'Success' })), 'notFound');
      assert.equal(refusedUnasked(detail({ State: 'Cancel' })), undefined);
    });

    it('trusts a job the service reports finished with the same State and Code', () => {
      assert.equal(verdictOf(detail({ State: 'Success', Code: 'Success' }), detail({ State: 'Success', Code: 'Success' })), 'confirmed');
      assert.equal(verdictOf(detail({ State: 'Failed', Code: 'InternalError' }), detail({ State: 'Failed', Code: 'InternalError' })), 'confirmed');
    });

    it('does not trust an unknown job, another State or Code, or a state that is not finished', () => {
      assert.equal(verdictOf(detail({ State: 'Success' }), undefined), 'notFound');
      assert.equal(verdictOf(detail({ State: 'Success', Code: 'Success' }), detail({ State: 'Running' })), 'mismatch');
      assert.equal(verdictOf(detail({ State: 'Failed', Code: 'A' }), detail({ State: 'Failed', Code: 'B' })), 'mismatch');
      assert.equal(verdictOf(detail({ State: 'Submitted' }), detail({ State: 'Submitted' })), 'notTerminal');
    });
  });

  describe('deliveries', () => {
    it('remembers a delivery only once it is accepted; one being confirmed is not fresh', () => {
      const deliveries = new Deliveries(10, 3);
      const a = detail({ JobId: 'ja', State: 'Success' });
      assert.deepEqual(deliveries.fresh([a, a]), [a], 'once per body');
      assert.equal(deliveries.begin([a]), true);
      assert.deepEqual(deliveries.fresh([a]), [], 'being confirmed');
      deliveries.release(a);
      assert.deepEqual(deliveries.fresh([a]), [a], 'released: considered again');
      deliveries.accept(a);
      assert.deepEqual(deliveries.fresh([a]), [], 'accepted: a duplicate');
    });

    it('starts no confirmation of a body that would exceed the pending limit', () => {
      const deliveries = new Deliveries(10, 3);
      const jobs = ['j1', 'j2', 'j3', 'j4'].map((JobId) => detail({ JobId, State: 'Success' }));
      assert.equal(deliveries.begin(jobs.slice(0, 2)), true);
      assert.equal(deliveries.begin(jobs.slice(2, 4)), false);
      assert.equal(deliveries.pendingCount, 2);
    });
  });
});
