import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { isJobId, isObject, numberSetting, readBody } from '../src';

describe('shared value rules', () => {
  it('isObject: plain objects only', () => {
    assert.deepEqual([{}, { a: 1 }, [], null, 'x', 1, undefined].map(isObject), [true, true, false, false, false, false, false]);
  });

  it('isJobId: letters, digits, _ and -, 1 to 128 characters', () => {
    assert.equal(isJobId('j8d9e7a1c2b3d4e5f6a7b8c9d0e1f2a3b'), true);
    assert.equal(isJobId('a_b-C9'), true);
    assert.equal(isJobId('x'.repeat(128)), true);
    assert.equal(isJobId('x'.repeat(129)), false);
    assert.equal(isJobId(''), false);
    assert.equal(isJobId('j1,j2'), false);
    assert.equal(isJobId('../jobs'), false);
    assert.equal(isJobId(42), false);
  });

  it('numberSetting: numbers and numeric text; blank and anything else are NaN', () => {
    assert.equal(numberSetting(5), 5);
    assert.equal(numberSetting(' 2.5 '), 2.5);
    assert.equal(numberSetting('0'), 0);
    for (const v of ['', '  ', 'ten', null, undefined, true, {}]) assert.ok(Number.isNaN(numberSetting(v)), JSON.stringify(v));
  });
});

describe('readBody', () => {
  it('collects the whole body', async () => {
    const stream = new PassThrough();
    const result = readBody(stream, 10);
    stream.write('hello ');
    stream.end(Buffer.from('you'));
    assert.deepEqual(await result, { kind: 'body', body: Buffer.from('hello you') });
  });

  it('stops at the limit without destroying the stream', async () => {
    const stream = new PassThrough();
    const result = readBody(stream, 4);
    stream.write('12345');
    assert.deepEqual(await result, { kind: 'tooLarge' });
    assert.equal(stream.destroyed, false);
  });

  it('reports a stream that closes before it ends as aborted', async () => {
    const stream = new PassThrough();
    const result = readBody(stream);
    stream.write('part');
    stream.destroy();
    assert.deepEqual(await result, { kind: 'aborted' });
  });
});
