import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_EVENT_BUS, FINISHER_ENV, FINISHER_SERVICE } from '../contracts/finisher-env';
import { RESULTS_PREFIXES } from '../contracts/keys';
import { DEFAULT_METRICS_NAMESPACE } from '../contracts/metrics-namespace';
import { deadLetterQueue } from './private/dead-letter-queue';
import { grantPrefix } from './private/prefix-grants';
import { projectFunction } from './private/project-function';
import type { AccessCall } from '../contracts/access';

/** Key pattern of the batch summaries, the only objects the finisher creates. */
export const BATCH_SUMMARY_PATTERN = `${RESULTS_PREFIXES.summaries}*/batch.json`;

/** EventBridge retries delivery for at most 24 hours and 185 attempts. */
const MAX_EVENT_AGE = Duration.hours(24);
const MAX_TARGET_RETRIES = 185;

export interface BatchFinisherProps {
  readonly resultsBucket: s3.IBucket;
  /** Only jobs of this queue... */
  readonly jobQueue: batch.IJobQueue;
  /** ...and of this job definition (the inference one) finish a batch. */
  readonly inferJobDefinition: batch.IJobDefinition;
  /**
   * Name or ARN of the bus completion events are put on.
   * @default 'default' (the account's default bus)
   */
  readonly eventBusName?: string;
  /**
   * Subscribe this address to a topic that gets one short message per finished batch.
   * @default - no topic
   */
  readonly notificationEmail?: string;
  /**
   * Attempts EventBridge makes to deliver a job's end to the function (throttling, a
   * function being updated) before the event goes to the dead-letter queue.
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps trying to deliver a job's end.
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memoryMiB?: number;
  /**
   * CloudWatch namespace of the finisher's metrics.
   * @default 'GpuBatchInference'
   */
  readonly metricsNamespace?: string;
}

function validate(props: BatchFinisherProps): void {
  const errors: string[] = [];
  const retries = props.retryAttempts;
  if (
    retries !== undefined &&
    (!Number.isInteger(retries) || retries < 0 || retries > MAX_TARGET_RETRIES)
  ) {
    errors.push(
      `retryAttempts: must be an integer from 0 to ${MAX_TARGET_RETRIES}, got ${retries}`,
    );
  }
  const age = props.maxEventAge?.toSeconds();
  if (age !== undefined && (age < 60 || age > MAX_EVENT_AGE.toSeconds())) {
    errors.push(`maxEventAge: must be from 60 seconds to 24 hours, got ${age} seconds`);
  }
  if (
    props.notificationEmail !== undefined &&
    !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.notificationEmail)
  ) {
    errors.push(`notificationEmail: must be an email address, got '${props.notificationEmail}'`);
  }
  if (props.eventBusName !== undefined && props.eventBusName.trim() === '') {
    errors.push(
      "eventBusName: must be a bus name or ARN, got ''; leave it unset for the default bus",
    );
  }
  if (errors.length > 0) throw new Error(`BatchFinisher: ${errors.join('; ')}`);
}

/**
 * The batch finisher: when an inference job's parent (or plain) job ends, a Lambda writes
 * summaries/<batch-id>/batch.json once and puts one completion event on the bus, and
 * optionally tells people by email. Events it cannot deliver or process end in an encrypted
 * dead-letter queue rather than vanishing.
 */
export class BatchFinisher extends Construct {
  public readonly function: nodejs.NodejsFunction;
  /** The function's role: only what the finisher does (see grantLeastPrivilege). */
  public readonly role: iam.Role;
  /** Matches the end of this pipeline's inference jobs, array children left out. */
  public readonly rule: events.Rule;
  /** Job ends EventBridge could not deliver, and those the function failed on after retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Where completion events go. */
  public readonly eventBus: events.IEventBus;
  /** The people's topic; only with notificationEmail. */
  public readonly topic?: sns.Topic;
  public readonly topicKey?: kms.Key;

  constructor(scope: Construct, id: string, props: BatchFinisherProps) {
    super(scope, id);
    validate(props);
    const busName = props.eventBusName ?? DEFAULT_EVENT_BUS;
    this.eventBus = busName.startsWith('arn:')
      ? events.EventBus.fromEventBusArn(this, 'Bus', busName)
      : events.EventBus.fromEventBusName(this, 'Bus', busName);
    this.deadLetterQueue = deadLetterQueue(
      this,
      'the batch finisher: job ends it could not be given or could not process',
    );

    if (props.notificationEmail) {
      this.topicKey = new kms.Key(this, 'TopicKey', {
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
        description: 'Encrypts the batch completion topic',
      });
      this.topic = new sns.Topic(this, 'Topic', { masterKey: this.topicKey, enforceSSL: true });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.notificationEmail));
    }

    const { function: fn, role } = projectFunction(this, {
      lambdaFolder: 'finisher',
      roleDescription: 'The batch finisher: manifests, shard summaries, batch.json and its events',
      memorySize: props.memoryMiB ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      environment: {
        [FINISHER_ENV.resultsBucket]: props.resultsBucket.bucketName,
        [FINISHER_ENV.eventBus]: busName,
        [FINISHER_ENV.topicArn]: this.topic?.topicArn ?? '',
        [FINISHER_ENV.metricsNamespace]: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
        [FINISHER_ENV.serviceName]: FINISHER_SERVICE,
      },
      functionProps: {
        // Lambda retries a failed asynchronous invocation twice, then keeps the event here with
        // the error message that names what was wrong.
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
      },
    });
    this.function = fn;
    this.role = role;

    this.rule = new events.Rule(this, 'JobEnded', {
      description:
        "The end of this pipeline's inference jobs (the array parent or a plain job), which finishes a batch.",
      eventPattern: {
        source: ['aws.batch'],
        detailType: ['Batch Job State Change'],
        detail: {
          status: ['SUCCEEDED', 'FAILED'],
          jobQueue: [props.jobQueue.jobQueueArn],
          jobDefinition: [props.inferJobDefinition.jobDefinitionArn],
          // Children carry arrayProperties.index; the parent (size, statusSummary) and a plain
          // job of one shard do not. A child's end says nothing about the batch.
          arrayProperties: { index: events.Match.doesNotExist() },
        },
      },
      targets: [
        new targets.LambdaFunction(this.function, {
          retryAttempts: props.retryAttempts ?? 8,
          maxEventAge: props.maxEventAge ?? MAX_EVENT_AGE,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });

    this.grantLeastPrivilege(props);
    Validations.of(this.function).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'One invocation per finished batch; batches close minutes apart at the least, and reserved concurrency would take capacity from the account and fails to deploy in accounts left with under 100 unreserved.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The finisher calls only AWS APIs (S3, EventBridge, SNS, CloudWatch) over TLS with its role and reaches nothing inside the VPC; attaching it would route those calls through the NAT gateway.',
      },
    );
  }

  private grantLeastPrivilege(props: BatchFinisherProps): void {
    grantPrefix(this.function, props.resultsBucket, RESULTS_PREFIXES.manifests, { read: true });
    // Shard summaries are listed, then read; batch.json is read back when it already exists.
    grantPrefix(this.function, props.resultsBucket, RESULTS_PREFIXES.summaries, {
      read: true,
      list: true,
    });
    // Only batch.json, and only as a conditional create: it can never replace a summary.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.resultsBucket.arnForObjects(BATCH_SUMMARY_PATTERN)],
        conditions: { Null: { 's3:if-none-match': 'false' } },
      }),
    );
    this.eventBus.grantPutEventsTo(this.function);
    if (this.topic && this.topicKey) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
      );
      // Publishing to an encrypted topic needs a data key of its key; topic.grantPublish would
      // grant GenerateDataKey* (every variant) where this one suffices:
      // Amazon SNS Developer Guide, "Managing Amazon SNS encryption keys and costs"
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.topicKey.keyArn],
        }),
      );
    }
  }
}

/** What Lambda and EventBridge do for the finisher (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['finisher'],
    sdk: 'lambda:on-failure',
    action: 'sqs:SendMessage',
    resources: [{ arn: 'finisherDeadLetterQueue' }],
    why: 'Lambda sends an event the function failed on after its retries to the dead-letter queue',
  },
  {
    by: ['eventBridge'],
    sdk: 'events:dead-letter',
    action: 'sqs:SendMessage',
    resources: [{ arn: 'finisherDeadLetterQueue' }],
    why: "EventBridge sends a job's end it could not deliver to the dead-letter queue",
  },
];
