import { EventParseError } from '../../../lambda/batcher/errors';
import {
  decodeS3Key,
  filterReason,
  parseS3EventBody,
} from '../../../lambda/batcher/parse-s3-event';
import {
  s3EncodeKey,
  s3EventBody,
  s3EventRecord,
  s3TestEventBody,
} from '../../helpers/s3-event-factory';

const filter = { bucket: 'input-bucket', prefix: 'incoming/', suffixes: [] };

describe('parseS3EventBody', () => {
  it('returns one item per ObjectCreated record of a message with several records', () => {
    // given a message with three records
    const body = s3EventBody(
      { key: 'incoming/a.png', size: 1, etag: 'e1' },
      { key: 'incoming/b.png', size: 2, etag: 'e2', versionId: 'v2' },
      {
        key: 'incoming/c.png',
        size: 3,
        etag: 'e3',
        eventName: 'ObjectCreated:CompleteMultipartUpload',
      },
    );

    // when it is parsed
    const { items, skipped } = parseS3EventBody(body, filter);

    // then each object version is an item, with the version id where S3 sent one
    expect(items).toEqual([
      { bucket: 'input-bucket', key: 'incoming/a.png', size: 1, etag: 'e1' },
      { bucket: 'input-bucket', key: 'incoming/b.png', size: 2, etag: 'e2', versionId: 'v2' },
      { bucket: 'input-bucket', key: 'incoming/c.png', size: 3, etag: 'e3' },
    ]);
    expect(skipped).toEqual([]);
  });

  it.each([
    ['a space, encoded as +', 'incoming/with space.png'],
    ['a literal plus, encoded as %2B', 'incoming/a+b.png'],
    ['UTF-8 characters, percent-encoded', 'incoming/zürich 東京.png'],
    ['reserved characters', "incoming/(1) it's 100%!.png"],
  ])('decodes a key with %s', (_, key) => {
    // given a record whose key S3 encoded
    const body = s3EventBody({ key });

    // when it is parsed
    const { items } = parseS3EventBody(body, filter);

    // then the key is the original one
    expect(items.map((item) => item.key)).toEqual([key]);
  });

  it('acknowledges the s3:TestEvent with no items', () => {
    // given the test event S3 sends when notifications are configured
    // when it is parsed
    const parsed = parseS3EventBody(s3TestEventBody('input-bucket'), filter);

    // then it yields no item and one test-event skip
    expect(parsed).toEqual({
      items: [],
      skipped: [{ reason: 'test-event', detail: 'input-bucket' }],
    });
  });

  it('rejects an s3:TestEvent that also carries Records rather than dropping the records', () => {
    // given a test event body with a record beside it, which S3 never sends
    const body = JSON.stringify({
      ...JSON.parse(s3TestEventBody('input-bucket')),
      Records: [s3EventRecord({ key: 'incoming/a.png' })],
    });

    // when it is parsed
    // then it is an EventParseError (the message goes to the DLQ) naming both halves
    expect(() => parseS3EventBody(body, filter)).toThrow(EventParseError);
    expect(() => parseS3EventBody(body, filter)).toThrow(
      'body: an s3:TestEvent that also carries Records; S3 sends the test event alone',
    );
  });

  it("rejects an eventName of 'ObjectCreated:' with no event type, naming the record", () => {
    // given a second record whose eventName stops at the colon
    const body = s3EventBody(
      { key: 'incoming/a.png' },
      { key: 'incoming/b.png', eventName: 'ObjectCreated:' },
    );

    // when it is parsed
    // then the message is rejected, naming the record and the field
    expect(() => parseS3EventBody(body, filter)).toThrow(
      "Records[1].eventName: 'ObjectCreated:' names no event type after the colon",
    );
  });

  it('skips event types other than ObjectCreated with a reason', () => {
    // given a removal event
    const body = s3EventBody({ key: 'incoming/a.png', eventName: 'ObjectRemoved:Delete' });

    // when it is parsed
    const { items, skipped } = parseS3EventBody(body, filter);

    // then it is skipped as not-object-created
    expect(items).toEqual([]);
    expect(skipped).toEqual([
      {
        reason: 'not-object-created',
        detail: 'ObjectRemoved:Delete s3://input-bucket/incoming/a.png',
      },
    ]);
  });

  it('skips objects outside the prefix or with a suffix not accepted, naming the reason', () => {
    // given suffix .png accepted, and three records
    const body = s3EventBody(
      { key: 'other/a.png' },
      { key: 'incoming/b.txt' },
      { key: 'incoming/c.png' },
    );

    // when it is parsed
    const { items, skipped } = parseS3EventBody(body, { ...filter, suffixes: ['.png'] });

    // then only the .png under the prefix is an item
    expect(items.map((item) => item.key)).toEqual(['incoming/c.png']);
    expect(skipped.map((s) => s.reason)).toEqual(['outside-prefix', 'suffix-not-accepted']);
  });

  it('skips records of any bucket but the configured input bucket, naming the bucket', () => {
    // given a record of the input bucket, one of the results bucket and one of another account
    const body = s3EventBody(
      { key: 'incoming/a.png' },
      { bucket: 'results-bucket', key: 'incoming/b.png' },
      { bucket: 'someone-elses-bucket', key: 'incoming/c.png' },
    );

    // when it is parsed
    const { items, skipped } = parseS3EventBody(body, filter);

    // then only the input bucket's object is an item; the others are skipped as foreign-bucket
    expect(items.map((item) => `${item.bucket}/${item.key}`)).toEqual([
      'input-bucket/incoming/a.png',
    ]);
    expect(skipped).toEqual([
      { reason: 'foreign-bucket', detail: 's3://results-bucket/incoming/b.png' },
      { reason: 'foreign-bucket', detail: 's3://someone-elses-bucket/incoming/c.png' },
    ]);
  });

  it.each([
    ['a body that is not JSON', '{"Records": [', /body: not JSON/],
    ['a JSON array', '[]', /body: expected a JSON object/],
    ['an object without Records', '{"hello": 1}', /body.Records: expected an array/],
    ['a record that is not an object', '{"Records": [42]}', /Records\[0\]: expected an object/],
  ])('rejects %s with an EventParseError naming it', (_, body, message) => {
    // given a malformed body
    // when it is parsed
    // then the error names what was wrong
    expect(() => parseS3EventBody(body, filter)).toThrow(EventParseError);
    expect(() => parseS3EventBody(body, filter)).toThrow(message);
  });

  it('names the record index and field when a record lacks its size', () => {
    // given a second record without s3.object.size
    const broken = s3EventRecord({ key: 'incoming/b.png' });
    const object: Partial<typeof broken.s3.object> = { ...broken.s3.object };
    delete object.size;
    const body = JSON.stringify({
      Records: [
        s3EventRecord({ key: 'incoming/a.png' }),
        { ...broken, s3: { ...broken.s3, object } },
      ],
    });

    // when it is parsed
    // then the error names Records[1].s3.object.size
    expect(() => parseS3EventBody(body, filter)).toThrow(
      'Records[1].s3.object.size: missing or of the wrong type',
    );
  });

  it('rejects a key with broken percent-encoding, naming the key', () => {
    // given a record whose key is not valid URL encoding
    const record = s3EventRecord({ key: 'incoming/a.png' });
    const body = JSON.stringify({
      Records: [
        {
          ...record,
          s3: { ...record.s3, object: { ...record.s3.object, key: 'incoming/%E0%A4%A' } },
        },
      ],
    });

    // when it is parsed
    // then the error names the field and the raw key
    expect(() => parseS3EventBody(body, filter)).toThrow(
      "Records[0].s3.object.key: not valid URL encoding: 'incoming/%E0%A4%A'",
    );
  });
});

describe('decodeS3Key', () => {
  it('inverts S3 notification encoding for every printable ASCII character', () => {
    // given every printable ASCII character in a key
    const key = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

    // when it is encoded as S3 does and decoded
    // then the key comes back unchanged
    expect(decodeS3Key(s3EncodeKey(key))).toBe(key);
  });
});

describe('filterReason', () => {
  it('skips folder markers, which are keys ending in a slash', () => {
    // given a zero-byte folder marker under the prefix
    // when it is filtered
    // then it is skipped as folder-marker
    expect(filterReason('incoming/sub/', filter)).toBe('folder-marker');
  });

  it('accepts every suffix when none is configured', () => {
    // given no suffixes configured
    // when an object with an unusual suffix is filtered
    // then it is accepted
    expect(filterReason('incoming/data.weird', filter)).toBeUndefined();
  });
});
