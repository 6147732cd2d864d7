import { Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BATCHER_ENV, BUFFER_CLAIMS_BY_KEY_INDEX } from '../contracts/batcher-env';
import { DEFAULT_METRICS_NAMESPACE } from '../contracts/metrics-namespace';
import { RESULTS_PREFIXES } from '../contracts/keys';
import { grantPrefix } from './private/prefix-grants';
import { projectFunction } from './private/project-function';
import type { AccessCall } from '../contracts/access';

export interface BatchingThresholds {
  /** A batch closes at this many files... */
  readonly maxFiles: number;
  /** ...or this many bytes... */
  readonly maxBytes: number;
  /** ...or when its oldest item has waited this long. */
  readonly maxWait: Duration;
  /** Files per array-job child. */
  readonly shardSize: number;
}

export interface BatcherFunctionProps {
  readonly queue: sqs.IQueue;
  readonly inputBucket: s3.IBucket;
  readonly inputPrefix: string;
  readonly inputSuffixes: readonly string[];
  readonly resultsBucket: s3.IBucket;
  readonly jobQueue: batch.IJobQueue;
  readonly inferJobDefinition: batch.IJobDefinition;
  readonly modelName: string;
  /**
   * Pinned model version written into manifests.
   * @default - the champion at job start
   */
  readonly modelVersion?: string;
  readonly thresholds: BatchingThresholds;
  /**
   * Messages per invocation.
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers messages before invoking.
   * @default Duration.seconds(20)
   */
  readonly batchingWindow?: Duration;
  /**
   * Concurrent invocations from the queue (2 is the least SQS event sources allow).
   * @default 2
   */
  readonly maxConcurrency?: number;
  /** @default Duration.seconds(120) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memoryMiB?: number;
  /**
   * CloudWatch namespace of the batcher's metrics.
   * @default 'GpuBatchInference'
   */
  readonly metricsNamespace?: string;
}

/**
 * The batcher: consumes the ingest queue, keeps pending items in a DynamoDB buffer, and closes
 * batches into AWS Batch array jobs. A once-a-minute schedule invokes it too, so batches close
 * by age when no upload arrives.
 */
export class BatcherFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** The function's role: only what the batcher does (see grantLeastPrivilege). */
  public readonly role: iam.Role;
  /** The durable buffer of pending items and batches. */
  public readonly bufferTable: dynamodb.Table;
  public readonly ageTrigger: events.Rule;
  public readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: BatcherFunctionProps) {
    super(scope, id);
    this.metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;

    this.bufferTable = new dynamodb.Table(this, 'Buffer', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      // Pending items live only here until their batch is submitted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // `gbi find` lists the claims of every version of a key; claims are keyed by a hash of one.
    this.bufferTable.addGlobalSecondaryIndex({
      indexName: BUFFER_CLAIMS_BY_KEY_INDEX,
      partitionKey: { name: 'objectKey', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'claimedAt', type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['batchId', 'object'],
    });

    const timeout = props.timeout ?? Duration.seconds(120);
    const { function: fn, role } = projectFunction(this, {
      lambdaFolder: 'batcher',
      roleDescription: 'The batcher: its own log group, buffer, manifests and job submission',
      memorySize: props.memoryMiB ?? 512,
      timeout,
      environment: {
        [BATCHER_ENV.bufferTable]: this.bufferTable.tableName,
        [BATCHER_ENV.resultsBucket]: props.resultsBucket.bucketName,
        [BATCHER_ENV.jobQueue]: props.jobQueue.jobQueueArn,
        [BATCHER_ENV.inferJobDefinition]: props.inferJobDefinition.jobDefinitionArn,
        [BATCHER_ENV.modelName]: props.modelName,
        [BATCHER_ENV.modelVersion]: props.modelVersion ?? '',
        [BATCHER_ENV.inputBucket]: props.inputBucket.bucketName,
        [BATCHER_ENV.inputPrefix]: props.inputPrefix,
        [BATCHER_ENV.inputSuffixes]: props.inputSuffixes.join(','),
        [BATCHER_ENV.maxBatchFiles]: String(props.thresholds.maxFiles),
        [BATCHER_ENV.maxBatchBytes]: String(props.thresholds.maxBytes),
        [BATCHER_ENV.maxBatchWaitSeconds]: String(props.thresholds.maxWait.toSeconds()),
        [BATCHER_ENV.shardSize]: String(props.thresholds.shardSize),
        [BATCHER_ENV.metricsNamespace]: this.metricsNamespace,
      },
    });
    this.function = fn;
    this.role = role;

    // What SqsEventSource sets up, without its grantConsumeMessages (which adds GetQueueUrl and
    // ChangeMessageVisibility the poller never uses); the id is SqsEventSource's own, so an
    // existing mapping is kept. Its permissions are in grantLeastPrivilege.
    this.function.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(props.queue.node)}`, {
      eventSourceArn: props.queue.queueArn,
      batchSize: props.batchSize ?? 1000,
      maxBatchingWindow: props.batchingWindow ?? Duration.seconds(20),
      reportBatchItemFailures: true,
      maxConcurrency: props.maxConcurrency ?? 2,
    });

    this.ageTrigger = new events.Rule(this, 'AgeTrigger', {
      description:
        'Closes batches whose oldest item reached the maximum wait, even with no new upload.',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    this.grantLeastPrivilege(props);
    Validations.of(this.bufferTable).acknowledge({
      id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
      reason:
        'Point-in-time recovery is on (restore to any second of the last 35 days); the table holds only pending items and open batches, each also recorded in the ingest queue or a manifest.',
    });
    Validations.of(this.function).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          "The SQS event source's maximum concurrency bounds the batcher's queue invocations; reserved concurrency would also take capacity from the account and fails to deploy in accounts left with under 100 unreserved.",
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          "Its SQS invocations are synchronous, and failed messages go to the ingest queue's dead-letter queue; its only asynchronous caller is the once-a-minute age trigger, whose next run redoes any missed work.",
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The batcher calls only AWS APIs (SQS, DynamoDB, S3, Batch, CloudWatch) over TLS with its role and reaches nothing inside the VPC; attaching it would route those calls through the NAT gateway.',
      },
    );
  }

  /** Exactly the calls ACCESS and the batcher's modules declare (lib/contracts/access.ts). */
  private grantLeastPrivilege(props: BatcherFunctionProps): void {
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [props.queue.queueArn],
      }),
    );
    // Not grantReadWriteData, which adds Scan, DeleteItem, BatchGetItem, ConditionCheckItem,
    // DescribeTable and stream reads that the buffer store never makes.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
        ],
        resources: [this.bufferTable.tableArn],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.bufferTable.tableArn}/index/${BUFFER_CLAIMS_BY_KEY_INDEX}`],
      }),
    );
    // Read and create; manifests are write-once, so no delete. The batcher reads no input: the
    // S3 event carries all a manifest names.
    grantPrefix(this.function, props.resultsBucket, RESULTS_PREFIXES.manifests, {
      read: true,
      list: true,
      put: true,
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['batch:SubmitJob'],
        // The revision this stack deployed, not every revision (a revision registered outside
        // the stack, with another role or image, stays unusable to the batcher).
        resources: [props.jobQueue.jobQueueArn, props.inferJobDefinition.jobDefinitionArn],
      }),
    );
    // ListJobs supports no resource-level permissions:
    // Service Authorization Reference, "Actions, resources, and condition keys for AWS Batch"
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['batch:ListJobs'], resources: ['*'] }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'batch:ListJobs has no resource-level permissions.',
    });
  }
}

/**
 * What Lambda's SQS event source does with the batcher's role (lib/contracts/access.ts):
 * AWS Lambda Developer Guide, "Using Lambda with Amazon SQS", execution role permissions
 */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['batcher'],
    sdk: 'lambda:sqs-poll',
    action: 'sqs:ReceiveMessage',
    resources: [{ arn: 'ingestQueue' }],
    why: 'the event source polls the ingest queue',
  },
  {
    by: ['batcher'],
    sdk: 'lambda:sqs-poll',
    action: 'sqs:DeleteMessage',
    resources: [{ arn: 'ingestQueue' }],
    why: 'the event source deletes the messages an invocation handled',
  },
  {
    by: ['batcher'],
    sdk: 'lambda:sqs-poll',
    action: 'sqs:GetQueueAttributes',
    resources: [{ arn: 'ingestQueue' }],
    why: "the event source reads the queue's attributes when it starts polling",
  },
];
