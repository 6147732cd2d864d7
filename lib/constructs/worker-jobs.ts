import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INFER_COMMAND, TRAIN_COMMAND, WORKER_ENV } from '../contracts/job-contract';
import { MODEL_PREFIXES, RESULTS_PREFIXES } from '../contracts/keys';
import { grantPrefix } from './private/prefix-grants';

/** The registry objects a train job creates (lib/contracts/keys.ts, modelKeys). */
const REGISTRY_WRITES = [
  `${MODEL_PREFIXES.models}*/versions/*`,
  `${MODEL_PREFIXES.models}*/history/*`,
  `${MODEL_PREFIXES.models}*/champion.json`,
];

/** Repository root: the image build context, so the image can include lib/contracts. */
const REPOSITORY_ROOT = path.join(__dirname, '..', '..');

export interface JobSizing {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly timeout: Duration;
}

export interface WorkerJobsProps {
  readonly inputBucket: s3.IBucket;
  /** Inputs are read only under this prefix. */
  readonly inputPrefix: string;
  readonly resultsBucket: s3.IBucket;
  readonly modelBucket: s3.IBucket;
  /** Model name the retrain job trains by default. */
  readonly modelName: string;
  /**
   * Prebuilt worker image; unset builds container/Dockerfile at deploy time (needs Docker there).
   * @default - built from container/
   */
  readonly imageUri?: string;
  /** @default 4 vCPUs, 14336 MiB, 120 minutes */
  readonly infer?: JobSizing;
  /** @default 4 vCPUs, 14336 MiB, 240 minutes */
  readonly train?: JobSizing;
  /**
   * Attempts per job including the first; only spot reclaims are retried.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Job definition name prefix.
   * @default - generated names
   */
  readonly namePrefix?: string;
}

/**
 * The inference and retrain job definitions: one GPU each, the worker image, a job role per job
 * kind scoped to the prefixes that job touches, and retries only on spot reclaims.
 */
export class WorkerJobs extends Construct {
  public readonly inferJobDefinition: batch.EcsJobDefinition;
  public readonly trainJobDefinition: batch.EcsJobDefinition;
  public readonly inferRole: iam.Role;
  public readonly trainRole: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorkerJobsProps) {
    super(scope, id);
    const image = props.imageUri
      ? ecs.ContainerImage.fromRegistry(props.imageUri)
      : ecs.ContainerImage.fromAsset(REPOSITORY_ROOT, {
          file: 'container/Dockerfile',
          exclude: [
            'node_modules',
            'cdk.out',
            '.venv',
            '.git',
            '.emulator',
            '.tmp',
            'coverage',
            'test',
            'docs',
          ],
        });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      // Kept like the data: what a job did must outlive the stack that ran it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const environment = {
      [WORKER_ENV.resultsBucket]: props.resultsBucket.bucketName,
      [WORKER_ENV.modelBucket]: props.modelBucket.bucketName,
      // Both jobs request a GPU: a binding that fails to load or sees no GPU must fail the job
      // rather than score on the instance's CPU (container/src/backend/select-backend.ts).
      [WORKER_ENV.backend]: 'tfjs-node-gpu',
      // The ECS agent on EC2 sets no AWS_REGION (Fargate does), the JS SDK reads no region from
      // instance metadata, and IMDS is out of the containers' reach (hop limit 1).
      AWS_REGION: Stack.of(this).region,
      // No TRAINING_PREFIX: the train command reads training/<model>/ for whichever model the
      // job's `model` parameter names, so one definition serves every model.
    };

    this.inferRole = new iam.Role(this, 'InferRole', { assumedBy: ecsTasks() });
    grantPrefix(this.inferRole, props.inputBucket, props.inputPrefix, {
      read: true,
      versions: true,
      list: true,
    });
    grantPrefix(this.inferRole, props.resultsBucket, RESULTS_PREFIXES.manifests, { read: true });
    grantPrefix(this.inferRole, props.resultsBucket, RESULTS_PREFIXES.checkpoints, {
      read: true,
      list: true,
      put: true,
      delete: true,
    });
    // The result and error streams are written with lib-storage's Upload, in parts when large.
    for (const prefix of [RESULTS_PREFIXES.results, RESULTS_PREFIXES.errors]) {
      grantPrefix(this.inferRole, props.resultsBucket, prefix, { put: true, multipart: true });
    }
    // Only the shard summaries: summaries/<batch>/batch.json is the finisher's, written once.
    grantPrefix(this.inferRole, props.resultsBucket, RESULTS_PREFIXES.summaries, {
      put: true,
      putPattern: '*/shard-*',
    });
    grantPrefix(this.inferRole, props.modelBucket, MODEL_PREFIXES.models, {
      read: true,
      list: true,
    });

    this.trainRole = new iam.Role(this, 'TrainRole', { assumedBy: ecsTasks() });
    grantPrefix(this.trainRole, props.modelBucket, MODEL_PREFIXES.training, {
      read: true,
      list: true,
    });
    grantPrefix(this.trainRole, props.modelBucket, MODEL_PREFIXES.models, {
      read: true,
      list: true,
    });
    // Creates versions, history events and champion moves, without delete; the model bucket's
    // policy makes versions and history write-once and champion moves compare-and-swap
    // (lib/constructs/private/write-once-policy.ts). Nothing else under models/: a train job
    // cannot rewrite the training-config.json it runs with.
    this.trainRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: REGISTRY_WRITES.map((pattern) => props.modelBucket.arnForObjects(pattern)),
      }),
    );

    const attempts = props.attempts ?? 3;
    this.inferJobDefinition = this.jobDefinition('Infer', {
      name: props.namePrefix ? `${props.namePrefix}-infer` : undefined,
      image,
      role: this.inferRole,
      sizing: props.infer ?? { vcpus: 4, memoryMiB: 14336, timeout: Duration.minutes(120) },
      command: [...INFER_COMMAND],
      environment,
      attempts,
    });
    this.trainJobDefinition = this.jobDefinition('Train', {
      name: props.namePrefix ? `${props.namePrefix}-train` : undefined,
      image,
      role: this.trainRole,
      sizing: props.train ?? { vcpus: 4, memoryMiB: 14336, timeout: Duration.minutes(240) },
      command: [...TRAIN_COMMAND],
      environment,
      attempts,
      parameters: { model: props.modelName },
    });
  }

  private jobDefinition(
    id: string,
    options: {
      name?: string;
      image: ecs.ContainerImage;
      role: iam.IRole;
      sizing: JobSizing;
      command: string[];
      environment: Record<string, string>;
      attempts: number;
      parameters?: Record<string, string>;
    },
  ): batch.EcsJobDefinition {
    const container = new batch.EcsEc2ContainerDefinition(this, `${id}Container`, {
      image: options.image,
      gpu: 1,
      cpu: options.sizing.vcpus,
      memory: Size.mebibytes(options.sizing.memoryMiB),
      command: options.command,
      environment: options.environment,
      jobRole: options.role,
      logging: ecs.LogDriver.awsLogs({ logGroup: this.logGroup, streamPrefix: id.toLowerCase() }),
    });
    Validations.of(container).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The execution role needs ecr:GetAuthorizationToken, which has no resource-level permissions.',
    });
    return new batch.EcsJobDefinition(this, id, {
      jobDefinitionName: options.name,
      container,
      parameters: options.parameters,
      timeout: options.sizing.timeout,
      retryAttempts: options.attempts,
      retryStrategies: [
        // A spot reclaim says nothing about the job: run it again (it resumes from its checkpoint).
        batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
        // Anything else is a real failure; retrying would only burn GPU time.
        batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onReason: '*' })),
      ],
      propagateTags: true,
    });
  }
}

function ecsTasks(): iam.IPrincipal {
  return new iam.ServicePrincipal('ecs-tasks.amazonaws.com');
}
