/**
 * The AWS calls the deployed code makes, declared beside the code that makes them: each module
 * that sends an SDK command (lambda/, container/src/) or that sets up a service to call on the
 * stack's behalf (lib/constructs/) exports `ACCESS`, a list of these. No emulator here enforces
 * IAM, so test/infra/access-paths.test.ts evaluates every declaration against the synthesized
 * template's policies (identity, bucket, queue, key and S3 endpoint policies), and
 * scripts/access/write-role-permissions.ts writes docs/operations.md's permission table from them.
 */

/** Who makes a call: a role of the stack, or an AWS service acting for the stack. */
export type AccessPrincipal =
  /** The batcher Lambda's role (its code, and Lambda acting with it: queue polling, logs). */
  | 'batcher'
  /** The finisher Lambda's role. */
  | 'finisher'
  /** The inference job's role (container/src/infer), through the S3 gateway endpoint. */
  | 'inferJob'
  /** The retrain job's role (container/src/train and registry), through the S3 gateway endpoint. */
  | 'trainJob'
  /** The role EventBridge assumes to submit the scheduled retrain job. */
  | 'retrainSchedule'
  /** EventBridge delivering to a rule's dead-letter queue (the queue's policy admits it). */
  | 'eventBridge'
  /** S3 publishing the input bucket's ObjectCreated notifications (the queue's policy admits it). */
  | 's3Notifications'
  /** A person with administrator credentials running `gbi` (the bucket policies still apply). */
  | 'operator';

/**
 * A bucket of the stack. For `input`, `key` and an s3:prefix of the call's context are relative
 * to the configured input prefix.
 */
export interface S3ObjectResource {
  readonly s3: 'input' | 'results' | 'models';
  /** The object's key; absent for bucket-level actions (ListBucket). */
  readonly key?: string;
}

/** Another resource of the stack, by name; `suffix` follows its ARN after a slash. */
export interface StackResource {
  readonly arn:
    | 'bufferTable'
    | 'ingestQueue'
    | 'jobQueue'
    | 'inferJobDefinition'
    | 'trainJobDefinition'
    | 'completionBus'
    | 'completionTopic'
    | 'completionTopicKey'
    | 'finisherDeadLetterQueue'
    | 'retrainDeadLetterQueue'
    /** The log group of the calling Lambda. */
    | 'ownLogGroup';
  readonly suffix?: string;
}

/** `*`: the action has no resource-level permissions. */
export type AccessResource = S3ObjectResource | StackResource | '*';

export interface AccessCall {
  readonly by: readonly AccessPrincipal[];
  /**
   * The SDK command of this module the call is (`GetObjectCommand`, lib-storage's `Upload`), or
   * what a service does for the stack (`lambda:sqs-poll`): the source scan matches these.
   */
  readonly sdk: string;
  /** The IAM action AWS authorizes the request as. */
  readonly action: string;
  /** Every resource the request is authorized against (SubmitJob: the queue and definition). */
  readonly resources: readonly AccessResource[];
  /** The request context that decides: conditional-write headers, s3:prefix, VersionId. */
  readonly context?: Readonly<Record<string, string>>;
  /** Why the code makes the call, for docs/operations.md. */
  readonly why: string;
}

/** Example values the declarations put into keys; any value of the same shape would do. */
export const EXAMPLE = {
  batchId: '20240501T120000Z-0123abcd',
  modelName: 'digits',
  version: '20240501T120000Z-4567',
  /** A key under the input prefix. */
  inputKey: '2024-05-01/photo-1.jpg',
  versionId: '3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY',
} as const;

/** The context of an S3 conditional create (PutObject with If-None-Match: *). */
export const IF_NONE_MATCH = { 's3:if-none-match': '*' } as const;

/** The context of a ListObjectsV2 with this prefix. */
export const listPrefix = (prefix: string) => ({ 's3:prefix': prefix });
