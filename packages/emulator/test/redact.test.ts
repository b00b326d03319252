/** The emulator logs callback URLs without their tokens, userinfo or query values. */
import assert from 'node:assert/strict';
import { redactUrl, redactUrlIn } from '../src/redact';

/** [title, [url, redacted]...]: one `it` each, asserting every pair. */
const REDACT_URL_CASES: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>]> = [
  ['replaces a ?token= value', [['http://127.0.0.1:1880/tencent-ci/callback/jobs?token=s3cr3t', 'http://127.0.0.1:1880/tencent-ci/callback/jobs?token=***']]],
  ['replaces every query value and keeps the names', [['https://example.com/hook?a=1&sig=abc&b=two%20words', 'https://example.com/hook?a=***&sig=***&b=***']]],
  [
    'replaces a query parameter without a value as a whole (it may be the secret itself)',
    [['https://example.com/hook?s3cr3t&x=1', 'https://example.com/hook?***&x=***']],
  ],
  [
    'replaces the token segment of a callback-in path',
    [['http://127.0.0.1:1880/tencent-ci/callback/jobs/s3cr3t', 'http://127.0.0.1:1880/tencent-ci/callback/jobs/***']],
  ],
  [
    'replaces the token segment under an httpNodeRoot, in any case',
    [['http://host:1880/red/Tencent-CI/Callback/jobs/s3cr3t', 'http://host:1880/red/Tencent-CI/Callback/jobs/***']],
  ],
  [
    'replaces everything after the callback-in path, however many segments',
    [['http://host/tencent-ci/callback/jobs/s3cr3t/more', 'http://host/tencent-ci/callback/jobs/***']],
  ],
  [
    'keeps a callback-in path without a token segment',
    [
      ['http://host/tencent-ci/callback/jobs', 'http://host/tencent-ci/callback/jobs'],
      ['http://host/tencent-ci/callback/jobs/', 'http://host/tencent-ci/callback/jobs/'],
    ],
  ],
  ['keeps other paths', [['http://host/hooks/ci/done', 'http://host/hooks/ci/done']]],
  [
    'replaces userinfo',
    [
      ['https://user:pa55@example.com/hook', 'https://***:***@example.com/hook'],
      ['https://user@example.com/hook', 'https://***@example.com/hook'],
    ],
  ],
  ['replaces a fragment', [['https://example.com/hook#s3cr3t', 'https://example.com/hook#***']]],
  [
    'redacts token, query and userinfo together',
    [['http://u:p@127.0.0.1:1880/tencent-ci/callback/jobs/tok1?token=tok2', 'http://***:***@127.0.0.1:1880/tencent-ci/callback/jobs/***?token=***']],
  ],
  [
    'turns text that is not a URL into *** as a whole',
    [
      ['not a url ?token=s3cr3t', '***'],
      ['', '***'],
    ],
  ],
];

describe('redactUrl', () => {
  for (const [title, pairs] of REDACT_URL_CASES) {
    it(title, () => {
      for (const [url, redacted] of pairs) assert.equal(redactUrl(url), redacted);
    });
  }
});

describe('redactUrlIn', () => {
  it('redacts the URL as given and as parsed inside a message', () => {
    const url = 'HTTP://user:pa55@127.0.0.1:9?token=s3cr3t';
    const message = `Request cannot be constructed from a URL that includes credentials: http://user:pa55@127.0.0.1:9/?token=s3cr3t (from ${url})`;
    assert.equal(
      redactUrlIn(message, url),
      'Request cannot be constructed from a URL that includes credentials: http://***:***@127.0.0.1:9/?token=*** (from http://***:***@127.0.0.1:9/?token=***)',
    );
  });

  it('leaves a message without the URL alone', () => {
    assert.equal(redactUrlIn('fetch failed', 'http://host/?token=s3cr3t'), 'fetch failed');
  });
});
