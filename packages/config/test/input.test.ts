import { strict as assert } from 'node:assert';
import { resolveInput } from '../src/input';

describe("resolveInput: the job node's input property to Request.Input", () => {
  it('takes a string as an object key', () => {
    assert.deepEqual(resolveInput('input/demo.mp4', false), { input: { Object: 'input/demo.mp4' } });
  });

  it('trims whitespace and leading slashes from a key', () => {
    assert.deepEqual(resolveInput('  //input/demo.mp4 ', false), { input: { Object: 'input/demo.mp4' } });
  });

  it('takes an http(s) URL as Input.Url where the job accepts one', () => {
    assert.deepEqual(resolveInput('https://example.com/a.mp4', true), { input: { Url: 'https://example.com/a.mp4' } });
    assert.deepEqual(resolveInput('HTTP://example.com/a.mp4', true), { input: { Url: 'HTTP://example.com/a.mp4' } });
  });

  it('refuses a URL where the job takes only object keys', () => {
    assert.deepEqual(resolveInput('https://example.com/a.mp4', false), { error: 'url' });
    assert.deepEqual(resolveInput({ Url: 'https://example.com/a.mp4' }, false), { error: 'url' });
  });

  it('takes { Object } and { Url } as given', () => {
    assert.deepEqual(resolveInput({ Object: ' input/demo.mp4 ' }, false), { input: { Object: 'input/demo.mp4' } });
    assert.deepEqual(resolveInput({ Url: 'https://example.com/a.mp4' }, true), { input: { Url: 'https://example.com/a.mp4' } });
  });

  it('prefers Object over Url when both are given', () => {
    assert.deepEqual(resolveInput({ Object: 'a.mp4', Url: 'https://example.com/a.mp4' }, true), { input: { Object: 'a.mp4' } });
  });

  it('takes the Input.Object of a JobsDetail, so jobs chain', () => {
    const detail = {
      JobId: 'j0123',
      State: 'Success',
      Tag: 'MediaInfo',
      Input: { BucketId: 'examplebucket-1250000000', Object: 'input/demo.mp4', Region: 'ap-guangzhou' },
      Operation: {},
    };
    assert.deepEqual(resolveInput(detail, false), { input: { Object: 'input/demo.mp4' } });
  });

  it('takes the Input.Url of a JobsDetail where URLs are accepted', () => {
    assert.deepEqual(resolveInput({ JobId: 'a0123', Input: { Url: 'https://example.com/a.mp4' } }, true), { input: { Url: 'https://example.com/a.mp4' } });
  });

  it('calls an empty string, whitespace, undefined and null empty', () => {
    for (const value of ['', '   ', undefined, null]) assert.deepEqual(resolveInput(value, true), { error: 'empty' }, String(value));
  });

  it('refuses a number, an array, a boolean and an object without Object or Url', () => {
    for (const value of [42, ['input/demo.mp4'], true, {}, { Input: {} }, { Key: 'input/demo.mp4' }]) {
      assert.deepEqual(resolveInput(value, true), { error: 'type' }, JSON.stringify(value));
    }
  });
});
