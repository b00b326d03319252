import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { CiError, DEFAULT_MAX_CALLBACK_JOBS, DEFAULT_MAX_DEPTH, ErrorCodes, parseCallback, parseErrorBody, parseResponse, parseXml } from '../src';
import type { MediaInfoOperation, QualityEstimateOperation, SnapshotOperation, VideoTagOperation, VideoTargetRecOperation } from '../src';
import { fixture, FIXTURES_DIR } from './helpers/fixtures';

describe('parseResponse', () => {
  it('reads a Snapshot submit response with JobsDetail as a one-element array and "-" times kept', () => {
    const res = parseResponse(fixture('submit-snapshot-response.xml'));
    assert.equal(res.JobsDetail.length, 1);
    const job = res.JobsDetail[0]!;
    assert.equal(job.JobId, 'j8d121820f5e411ec926ef19d53ba9c6f');
    assert.equal(job.State, 'Submitted');
    assert.equal(job.StartTime, '-');
    assert.equal(job.EndTime, '-');
    assert.equal(job.CreationTime, '2022-06-27T15:23:10+0800');
    const op = job.Operation as SnapshotOperation;
    assert.equal((op.Snapshot as Record<string, Record<string, string>>).SpriteSnapshotConfig!.Color, 'Azure');
    assert.equal(op.Output!.Object, 'output/snapshot-${number}.jpg');
    assert.equal(op.JobLevel, '0');
  });

  it('leaves out empty elements such as <Message/>', () => {
    const job = parseResponse(fixture('submit-snapshot-response.xml')).JobsDetail[0]!;
    assert.equal('Message' in job, false);
    assert.equal(job.Code, 'Success');
  });

  it('reads a VideoTargetRec submit response with QueueType AIProcess and no Input', () => {
    const job = parseResponse(fixture('submit-videotargetrec-response.xml')).JobsDetail[0]!;
    assert.equal(job.QueueType, 'AIProcess');
    assert.equal(job.Input, undefined);
    assert.deepEqual((job.Operation as VideoTargetRecOperation).VideoTargetRec, { Body: 'true', Car: 'true', Pet: 'true' });
  });

  it('keeps repeated WatermarkTemplateId as an array and MediaInfo streams as arrays in a query response', () => {
    const job = parseResponse(fixture('describe-job-success-transcode.xml')).JobsDetail[0]!;
    assert.equal(job.Progress, '100');
    assert.deepEqual(job.Operation!.WatermarkTemplateId, [
      't1318c5f428d474afba1797f84091cbe22',
      't1318c5f428d474afba1797f84091cbe23',
      't1318c5f428d474afba1797f84091cbe24',
    ]);
    const info = (job.Operation as MediaInfoOperation).MediaInfo!;
    assert.equal(info.Format!.Duration, '13.654000');
    assert.equal(info.Stream!.Audio!.length, 1);
    assert.equal(info.Stream!.Audio![0]!.ChannelLayout, 'stereo');
    assert.equal(info.Stream!.Video![0]!.CodecName, 'h264');
    assert.equal(info.Stream!.Subtitle, undefined);
  });

  it('reads the synchronous MediaInfo body with streams as arrays and values as strings', () => {
    const res = parseResponse(fixture('mediainfo-sync-go-test.xml'));
    assert.deepEqual(res.JobsDetail, []);
    const info = res.MediaInfo as MediaInfoOperation['MediaInfo'];
    assert.equal(info!.Format!.Bitrate, '1014.950000');
    assert.equal(info!.Stream!.Audio![0]!.Channel, '1');
    assert.equal(info!.Stream!.Video![0]!.AvgFps, '24/1');
  });

  it('turns a single NonExistJobIds into a string array', () => {
    const res = parseResponse(
      '<Response><JobsDetail><JobId>j1</JobId><State>Running</State><Tag>Snapshot</Tag></JobsDetail><NonExistJobIds>j2</NonExistJobIds></Response>',
    );
    assert.deepEqual(res.NonExistJobIds, ['j2']);
    assert.equal(res.JobsDetail[0]!.State, 'Running');
  });

  it('keeps NextToken of a list response', () => {
    const res = parseResponse(
      '<Response><JobsDetail><JobId>j1</JobId><State>Success</State></JobsDetail><JobsDetail><JobId>j2</JobId><State>Failed</State></JobsDetail><NextToken>abc</NextToken></Response>',
    );
    assert.deepEqual(
      res.JobsDetail.map((j) => j.JobId),
      ['j1', 'j2'],
    );
    assert.equal(res.NextToken, 'abc');
  });

  it('throws the CiError of an <Error> body with code, status and request id', () => {
    assert.throws(
      () => parseResponse(fixture('error-cos-409.xml'), { status: 409 }),
      (err: unknown) => {
        assert.ok(err instanceof CiError);
        assert.equal(err.code, 'BucketAlreadyExists');
        assert.equal(err.status, 409);
        assert.equal(err.requestId, 'NTk0NTRjZjZfNTViMjM1XzlkMV9hZTZh');
        assert.match(err.message, /The requested bucket name is not available/);
        assert.equal(err.retryable, false);
        return true;
      },
    );
  });

  it('reads the CI error template body', () => {
    const err = parseErrorBody(fixture('error-ci-template.xml'), { status: 400 });
    assert.equal(err?.code, 'string');
    assert.equal(err?.traceId, 'string');
  });

  it('marks SlowDown and 5xx errors retryable and InvalidArgument not', () => {
    const body = (code: string) => `<Error><Code>${code}</Code><Message>m</Message><RequestId>r</RequestId></Error>`;
    assert.equal(parseErrorBody(body('SlowDown'), { status: 429 })?.retryable, true);
    assert.equal(parseErrorBody(body('InternalError'), { status: 500 })?.retryable, true);
    assert.equal(parseErrorBody(body('QueueSaturated'), { status: 403 })?.retryable, true);
    assert.equal(parseErrorBody(body('InvalidArgument'), { status: 400 })?.retryable, false);
  });

  it('turns the JSON error variant into a CiError', () => {
    const err = parseErrorBody('{"code": 400, "message": "bad tag", "request_id": "rid-1"}', { status: 400 });
    assert.equal(err?.code, '400');
    assert.equal(err?.requestId, 'rid-1');
    assert.match(err!.message, /bad tag/);
  });

  it('refuses a body with a DOCTYPE so entity declarations cannot expand', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Response><EventName>&b;</EventName></Response>';
    assert.throws(
      () => parseResponse(bomb),
      (err: unknown) => err instanceof CiError && err.code === 'MalformedResponse' && /DOCTYPE/.test(err.message),
    );
  });

  it('refuses element names that could pollute prototypes', () => {
    for (const name of ['__proto__', 'constructor']) {
      assert.throws(
        () => parseResponse(`<Response><JobsDetail><${name}><polluted>yes</polluted></${name}></JobsDetail></Response>`),
        (err: unknown) => err instanceof CiError && err.code === 'MalformedResponse',
      );
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('drops __proto__ keys from JSON bodies without polluting Object.prototype', () => {
    const res = parseResponse('{"JobsDetail": {"JobId": "j1", "State": "Success", "__proto__": {"polluted": "yes"}}}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(res.JobsDetail[0]), Object.prototype);
    assert.equal(Object.prototype.hasOwnProperty.call(res.JobsDetail[0], '__proto__'), false);
  });

  it('refuses bodies over the size limit', () => {
    const big = `<Response><JobsDetail><UserData>${'x'.repeat(2048)}</UserData></JobsDetail></Response>`;
    assert.throws(
      () => parseResponse(big, { maxBytes: 1024 }),
      (err: unknown) => err instanceof CiError && err.code === 'BodyTooLarge',
    );
  });

  it('refuses malformed XML, a foreign root and an empty body', () => {
    for (const body of ['<Response><JobsDetail></Response>', '<Foo/>', '', 'hello']) {
      assert.throws(
        () => parseResponse(body),
        (err: unknown) => err instanceof CiError && err.code === 'MalformedResponse',
        body,
      );
    }
  });

  it('decodes entities and character references in text', () => {
    const res = parseResponse(
      '<Response><JobsDetail><JobId>j1</JobId><State>Success</State><Operation><UserData>a &amp; b &lt;c&gt; &#20320;</UserData></Operation></JobsDetail></Response>',
    );
    assert.equal(res.JobsDetail[0]!.Operation!.UserData, 'a & b <c> 你');
  });
});

describe('parseCallback', () => {
  it('reads a Snapshot XML callback: ObjectName lists under ObjectPrefix and the sprite file', () => {
    const cb = parseCallback(fixture('callback-snapshot-api.xml'));
    assert.equal(cb.EventName, 'TaskFinish');
    const job = cb.JobsDetail[0]!;
    assert.equal(job.State, 'Success');
    const file = (job.Operation as SnapshotOperation).MediaResult!.OutputFile!;
    assert.equal(file.ObjectPrefix, 'output/snapshot-');
    assert.deepEqual(file.ObjectName, ['0.jpg', '1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg']);
    assert.deepEqual(file.SpriteOutputFile!.ObjectName, ['0.jpg']);
    assert.equal(file.SpriteOutputFile!.ObjectPrefix, 'output/sprite-');
    assert.equal(file.Md5Info, undefined);
  });

  it('reads a workflow JSON Snapshot callback: JobsDetail object becomes an array, single ObjectName an array', () => {
    const cb = parseCallback(fixture('callback-snapshot-workflow.json'));
    assert.equal(cb.JobsDetail.length, 1);
    const job = cb.JobsDetail[0]!;
    assert.equal(job.JobId, 'j4e431ba0f86711ecb8546d80f2baf56f');
    assert.equal(job.Input!.CosHeaders!.length, 4);
    assert.deepEqual(job.Input!.CosHeaders![3], { Key: 'Size', Value: '1424687' });
    assert.deepEqual(job.Workflow, [
      {
        Name: 'Snapshot_1581665960537',
        RunId: 'ic90edd59f84f11ec9d4f525400a3c59f',
        WorkflowId: 'web6ac56c1ef54dbfa44d7f4103203be9',
        WorkflowName: 'workflow-test',
      },
    ]);
    const file = (job.Operation as SnapshotOperation).MediaResult!.OutputFile!;
    assert.deepEqual(file.SpriteOutputFile!.ObjectName, ['0.jpg']);
    assert.equal(file.ObjectName!.length, 6);
  });

  it('gives the XML and JSON QualityEstimate callbacks exactly the same shape', () => {
    const fromXml = parseCallback(fixture('callback-qualityestimate.xml'));
    const fromJson = parseCallback(fixture('callback-qualityestimate.json'));
    assert.deepEqual(fromJson, fromXml);
    const op = fromXml.JobsDetail[0]!.Operation as QualityEstimateOperation;
    assert.equal(op.QualityEstimate!.Score, '6.460358');
    assert.equal(op.MediaInfo!.Stream!.Video![0]!.Width, '544');
    assert.equal(op.MediaInfo!.Stream!.Audio![0]!.SampleRate, '44100');
  });

  it('gives the XML and JSON VideoTag callbacks exactly the same shape, arrays at every §9 path', () => {
    const fromXml = parseCallback(fixture('callback-videotag-stream.xml'));
    const fromJson = parseCallback(fixture('callback-videotag-stream.json'));
    assert.deepEqual(fromJson, fromXml);
    const data = (fromXml.JobsDetail[0]!.Operation as VideoTagOperation).VideoTagResult!.StreamData!.Data!;
    assert.equal(data.Tags!.length, 4);
    assert.deepEqual(data.Tags![1], { Confidence: '0.587103', Tag: 'Game' });
    assert.equal(data.ObjectTags!.length, 1);
    assert.equal(data.ObjectTags![0]!.Objects![0]!.Name, 'Keyboard');
    assert.equal(data.ObjectTags![0]!.Objects![0]!.BBox![0]!.X1, '0.10181817412376404');
    assert.deepEqual(data.ActionTags![0]!.Tags, [{ Confidence: '0.421531', Tag: 'Speak', TagCls: 'Speak' }]);
    assert.equal(data.ActionTags![1]!.Tags, undefined);
    assert.equal(data.PlaceTags![0]!.ClipFrameResult!.length, 11);
    assert.equal(data.PlaceTags![0]!.Tags![1]!.TagCls, 'Business');
    assert.equal(data.PersonTags, undefined);
  });

  it('reads a VideoTargetRec callback with recognitions and infos as arrays', () => {
    const cb = parseCallback(fixture('callback-videotargetrec-abridged.xml'));
    const result = (cb.JobsDetail[0]!.Operation as VideoTargetRecOperation).VideoTargetRecResult!;
    assert.equal(result.BodyRecognition!.length, 2);
    assert.equal(result.BodyRecognition![0]!.Time, '1.206000');
    assert.deepEqual(result.BodyRecognition![1]!.BodyInfo, [{ Location: { Height: '349', Width: '198', X: '315', Y: '177' }, Name: 'person', Score: '83' }]);
    assert.equal(cb.JobsDetail[0]!.JobId, 'a993e661c699811ed9588038f7fb96507');
  });

  it('turns JSON numbers and booleans into strings', () => {
    const cb = parseCallback(
      '{"EventName":"TaskFinish","JobsDetail":{"JobId":"j1","State":"Success","Operation":{"JobLevel":0,"QualityEstimate":{"Score":7.5},"VqaPlus":true}}}',
    );
    assert.deepEqual(cb.JobsDetail[0]!.Operation, { JobLevel: '0', QualityEstimate: { Score: '7.5' }, VqaPlus: 'true' });
  });

  it('rejects a body that is not a callback (no EventName, no JobsDetail, a JobsDetail without JobId)', () => {
    for (const body of ['{"hello":"world"}', '<Response><JobsDetail><State>Success</State></JobsDetail></Response>', '{"EventName":"TaskFinish"}']) {
      assert.throws(
        () => parseCallback(body),
        (err: unknown) => err instanceof CiError && err.code === 'MalformedResponse',
        body,
      );
    }
  });
});

/** A JSON body whose objects nest exactly `depth` levels: `{"a":{"a":{}}}` is 3. */
function jsonOfDepth(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}

/** An XML body whose elements nest exactly `depth` levels, <Response> included. */
function xmlOfDepth(depth: number): string {
  return `<Response>${'<a>'.repeat(depth - 2)}<b/>${'</a>'.repeat(depth - 2)}</Response>`;
}

function callbackXml(jobs: number): string {
  const detail = (i: number) => `<JobsDetail><JobId>j${i}</JobId><State>Success</State><Tag>Snapshot</Tag></JobsDetail>`;
  return `<Response><EventName>TaskFinish</EventName>${Array.from({ length: jobs }, (_, i) => detail(i)).join('')}</Response>`;
}

function callbackJson(jobs: number): string {
  return JSON.stringify({ EventName: 'TaskFinish', JobsDetail: Array.from({ length: jobs }, (_, i) => ({ JobId: `j${i}`, State: 'Success' })) });
}

function isCode(code: string, message?: RegExp): (err: unknown) => boolean {
  return (err: unknown) => err instanceof CiError && err.code === code && (message === undefined || message.test(err.message));
}

describe('bounded parsing', () => {
  it('exports the default limits: depth 64, 100 callback jobs', () => {
    assert.equal(DEFAULT_MAX_DEPTH, 64);
    assert.equal(DEFAULT_MAX_CALLBACK_JOBS, 100);
  });

  it('parses every fixture body with the default limits', () => {
    const files = readdirSync(FIXTURES_DIR).filter((f) => /\.(xml|json)$/.test(f) && f !== 'signature-vectors.json');
    assert.equal(files.length, 13);
    for (const file of files) {
      const body = fixture(file);
      if (file.startsWith('error-')) assert.ok(parseErrorBody(body) instanceof CiError, file);
      else if (file.startsWith('callback-')) assert.ok(parseCallback(body).JobsDetail.length >= 1, file);
      else assert.ok(Array.isArray(parseResponse(body).JobsDetail), file);
    }
  });

  describe('maxDepth', () => {
    it('accepts JSON nested exactly 64 levels and refuses 65 with BodyTooDeep naming the limit', () => {
      assert.deepEqual(parseResponse(jsonOfDepth(64)).JobsDetail, []);
      assert.throws(() => parseResponse(jsonOfDepth(65)), isCode(ErrorCodes.BodyTooDeep, /^Body nests deeper than 64 levels$/));
    });

    it('accepts XML nested exactly 64 levels and refuses 65 with BodyTooDeep naming the limit', () => {
      assert.deepEqual(parseResponse(xmlOfDepth(64)).JobsDetail, []);
      assert.throws(() => parseResponse(xmlOfDepth(65)), isCode(ErrorCodes.BodyTooDeep, /^Body nests deeper than 64 levels$/));
    });

    it("applies a caller's maxDepth to both formats", () => {
      assert.deepEqual(parseResponse(jsonOfDepth(3), { maxDepth: 3 }).JobsDetail, []);
      assert.throws(() => parseResponse(jsonOfDepth(4), { maxDepth: 3 }), isCode(ErrorCodes.BodyTooDeep, /deeper than 3 levels/));
      assert.deepEqual(parseResponse(xmlOfDepth(3), { maxDepth: 3 }).JobsDetail, []);
      assert.throws(() => parseResponse(xmlOfDepth(4), { maxDepth: 3 }), isCode(ErrorCodes.BodyTooDeep, /deeper than 3 levels/));
    });

    it('applies maxDepth to parseCallback', () => {
      const deep = `<Response><EventName>TaskFinish</EventName><JobsDetail><JobId>j1</JobId><Operation>${'<a>'.repeat(70)}${'</a>'.repeat(70)}</Operation></JobsDetail></Response>`;
      assert.throws(() => parseCallback(deep), isCode(ErrorCodes.BodyTooDeep));
    });

    it('counts a self-closing element at its level without nesting what follows', () => {
      const siblings = `<Response>${'<a>'.repeat(62)}${'<b/>'.repeat(100)}${'</a>'.repeat(62)}</Response>`;
      assert.deepEqual(parseResponse(siblings).JobsDetail, []);
    });

    it('parseXml refuses elements nested deeper than 64 by default', () => {
      assert.throws(() => parseXml(`<Request>${'<a>'.repeat(64)}${'</a>'.repeat(64)}</Request>`), isCode(ErrorCodes.BodyTooDeep));
    });

    it('refuses a maxDepth that is not an integer >= 1 with InvalidArgument', () => {
      for (const maxDepth of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => parseResponse('{}', { maxDepth }), isCode('InvalidArgument', /maxDepth/), String(maxDepth));
      }
    });
  });

  describe('bodies nested 10,000 and 200,000 levels deep', () => {
    for (const levels of [10_000, 200_000]) {
      const bodies: Record<string, string> = {
        'JSON arrays': `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`,
        'JSON objects': `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
        'XML elements': `<Response>${'<a>'.repeat(levels)}${'</a>'.repeat(levels)}</Response>`,
      };
      for (const [kind, body] of Object.entries(bodies)) {
        it(`refuses ${levels} levels of ${kind} with BodyTooDeep from parseResponse and parseCallback, undefined from parseErrorBody`, () => {
          assert.throws(() => parseResponse(body), isCode(ErrorCodes.BodyTooDeep));
          assert.throws(() => parseCallback(body), isCode(ErrorCodes.BodyTooDeep));
          assert.equal(parseErrorBody(body), undefined);
        });

        it(`throws nothing but MalformedResponse for ${levels} levels of ${kind} even without a depth limit`, () => {
          // Whether a library overflows its stack at this depth depends on the stack left.
          for (const parse of [parseResponse, parseCallback]) {
            try {
              parse(body, { maxDepth: Infinity });
            } catch (err) {
              assert.ok(isCode(ErrorCodes.MalformedResponse)(err), `threw ${String(err)}`);
            }
          }
          assert.equal(parseErrorBody(body, { maxDepth: Infinity }), undefined);
        });
      }
    }

    it('names the library error, not the body, when it turns one into MalformedResponse', () => {
      assert.throws(
        () => parseResponse(`{"secret":${'['.repeat(200_000)}${']'.repeat(200_000)}}`, { maxDepth: Infinity }),
        isCode(ErrorCodes.MalformedResponse, /^Body could not be parsed \(RangeError\)$/),
      );
    });
  });

  describe('maxJobs', () => {
    it('parseCallback accepts 100 JobsDetail entries and refuses 101 with TooManyJobs naming both numbers', () => {
      assert.equal(parseCallback(callbackXml(100)).JobsDetail.length, 100);
      assert.throws(() => parseCallback(callbackXml(101)), isCode(ErrorCodes.TooManyJobs, /^Body has 101 JobsDetail entries; the limit is 100$/));
    });

    it('parseCallback counts the entries of a JSON JobsDetail array', () => {
      assert.equal(parseCallback(callbackJson(100)).JobsDetail.length, 100);
      assert.throws(() => parseCallback(callbackJson(101)), isCode(ErrorCodes.TooManyJobs, /101 JobsDetail entries/));
    });

    it('parseResponse has no JobsDetail limit unless given one', () => {
      assert.equal(parseResponse(callbackXml(250)).JobsDetail.length, 250);
      assert.throws(() => parseResponse(callbackXml(3), { maxJobs: 2 }), isCode(ErrorCodes.TooManyJobs, /^Body has 3 JobsDetail entries; the limit is 2$/));
    });

    it("parseCallback takes a caller's maxJobs", () => {
      assert.equal(parseCallback(callbackXml(150), { maxJobs: 150 }).JobsDetail.length, 150);
      assert.throws(() => parseCallback(callbackXml(2), { maxJobs: 1 }), isCode(ErrorCodes.TooManyJobs, /the limit is 1$/));
    });

    it('refuses a maxJobs that is not an integer >= 0 with InvalidArgument', () => {
      for (const maxJobs of [-1, 2.5, Number.NaN]) {
        assert.throws(() => parseResponse('{}', { maxJobs }), isCode('InvalidArgument', /maxJobs/), String(maxJobs));
      }
    });
  });

  describe('only CiErrors escape', () => {
    it('turns a TypeError while reading a JSON error variant into MalformedResponse', () => {
      // String() of an object whose own toString is not a function throws a TypeError.
      const body = '{"code":{"toString":1},"message":"m"}';
      assert.throws(() => parseResponse(body), isCode(ErrorCodes.MalformedResponse, /^Body could not be parsed \(TypeError\)$/));
      assert.equal(parseErrorBody(body), undefined);
    });

    it('does not quote the body in a JSON syntax error', () => {
      for (const body of ['{"UserData": private words}', '{"UserData": "private words']) {
        assert.throws(
          () => parseResponse(body),
          (err: unknown) => isCode(ErrorCodes.MalformedResponse, /^Malformed JSON body/)(err) && !/private/.test((err as Error).message),
          body,
        );
      }
    });

    it('parseErrorBody answers undefined for bodies over the limits', () => {
      assert.equal(parseErrorBody(jsonOfDepth(65)), undefined);
      assert.equal(parseErrorBody(callbackXml(3), { maxBytes: 10 }), undefined);
    });
  });
});
