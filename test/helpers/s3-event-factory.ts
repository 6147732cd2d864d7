import { randomUUID } from 'node:crypto';
import type { S3EventRecord, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Typed factories for what the batcher receives: S3 event notifications (the documented
 * format, Amazon S3 User Guide, "Event message structure")
 * inside SQS message bodies, and the EventBridge Scheduled Event.
 */

export interface S3ObjectFixture {
  readonly bucket?: string;
  /** The plain key; the factory encodes it the way S3 does in notifications. */
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly eventName?: string;
}

/** S3 form-encodes keys in notifications: a space becomes '+', other bytes %XX of UTF-8. */
export function s3EncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function s3EventRecord(object: S3ObjectFixture): S3EventRecord {
  const bucket = object.bucket ?? 'input-bucket';
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-26T09:00:00.000Z',
    eventName: (object.eventName ?? 'ObjectCreated:Put') as S3EventRecord['eventName'],
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.10' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'gbi-ingest',
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: s3EncodeKey(object.key),
        size: object.size ?? 1024,
        eTag: object.etag ?? 'd41d8cd98f00b204e9800998ecf8427e',
        ...(object.versionId ? { versionId: object.versionId } : {}),
        sequencer: '0055AED6DCD90281E5',
      },
    },
  };
}

export function s3EventBody(...objects: S3ObjectFixture[]): string {
  return JSON.stringify({ Records: objects.map(s3EventRecord) });
}

/** The message S3 sends once when a notification configuration is saved. */
export function s3TestEventBody(bucket = 'input-bucket'): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2026-11-26T09:00:00.000Z',
    Bucket: bucket,
    RequestId: '5582815E1AEA5ADF',
    HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
  });
}

export function sqsRecord(body: string, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764147600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764147600001',
    },
    messageAttributes: {},
    md5OfBody: 'not-checked-by-the-batcher',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:gbi-ingest',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2026-11-26T09:01:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/gbi-batcher-tick'],
    detail: {},
  };
}
