/** The emulator logs callback URLs without their tokens, userinfo or query values. */
import assert from 'node:assert/strict';
import { redactUrl, redactUrlIn } from '../src/redact';

describe('redactUrl', () => {
  it('replaces a ?token= value', () => {
    assert.equal(redactUrl('http://127.0.0.1:1880/tencent-ci/callback/jobs?token=s3cr3t'), 'http://127.0.0.1:1880/tencent-ci/callback/jobs?token=***');
  });

  it('replaces every query value and keeps the names', () => {
    assert.equal(redactUrl('https://example.com/hook?a=1&sig=abc&b=two%20words'), 'https://example.com/hook?a=***&sig=***&b=***');
  });

  it('replaces a query parameter without a value as a whole (it may be the secret itself)', () => {
    assert.equal(redactUrl('https://example.com/hook?s3cr3t&x=1'), 'https://example.com/hook?***&x=***');
  });

  it('replaces the token segment of a callback-in path', () => {
    assert.equal(redactUrl('http://127.0.0.1:1880/tencent-ci/callback/jobs/s3cr3t'), 'http://127.0.0.1:1880/tencent-ci/callback/jobs/***');
  });

  it('replaces the token segment under an httpNodeRoot, in any case', () => {
    assert.equal(redactUrl('http://host:1880/red/Tencent-CI/Callback/jobs/s3cr3t'), 'http://host:1880/red/Tencent-CI/Callback/jobs/***');
  });

  it('replaces everything after the callback-in path, however many segments', () => {
    assert.equal(redactUrl('http://host/tencent-ci/callback/jobs/s3cr3t/more'), 'http://host/tencent-ci/callback/jobs/***');
  });

  it('keeps a callback-in path without a token segment', () => {
    assert.equal(redactUrl('http://host/tencent-ci/callback/jobs'), 'http://host/tencent-ci/callback/jobs');
    assert.equal(redactUrl('http://host/tencent-ci/callback/jobs/'), 'http://host/tencent-ci/callback/jobs/');
  });

  it('keeps other paths', () => {
    assert.equal(redactUrl('http://host/hooks/ci/done'), 'http://host/hooks/ci/done');
  });

  it('replaces userinfo', () => {
    assert.equal(redactUrl('https://user:pa55@example.com/hook'), 'https://***:***@example.com/hook');
    assert.equal(redactUrl('https://user@example.com/hook'), 'https://***@example.com/hook');
  });

  it('replaces a fragment', () => {
    assert.equal(redactUrl('https://example.com/hook#s3cr3t'), 'https://example.com/hook#***');
  });

  it('redacts token, query and userinfo together', () => {
    assert.equal(
      redactUrl('http://u:p@127.0.0.1:1880/tencent-ci/callback/jobs/tok1?token=tok2'),
      'http://***:***@127.0.0.1:1880/tencent-ci/callback/jobs/***?token=***',
    );
  });

  it('turns text that is not a URL into *** as a whole', () => {
    assert.equal(redactUrl('not a url ?token=s3cr3t'), '***');
    assert.equal(redactUrl(''), '***');
  });
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
