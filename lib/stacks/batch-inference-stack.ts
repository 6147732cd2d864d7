import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { PipelineConfig } from '../config/pipeline-config';
import { BatchFinisher } from '../constructs/batch-finisher';
import { BatcherFunction } from '../constructs/batcher-function';
import { GpuCompute } from '../constructs/gpu-compute';
import { IngestQueue } from '../constructs/ingest-queue';
import { PipelineMonitoring } from '../constructs/pipeline-monitoring';
import { PipelineStorage } from '../constructs/pipeline-storage';
import { ResultsCatalog } from '../constructs/results-catalog';
import { RetrainSchedule } from '../constructs/retrain-schedule';
import { WorkerJobs } from '../constructs/worker-jobs';

export interface BatchInferenceStackProps extends StackProps {
  /** Validated configuration (see lib/config/validate-config.ts). */
  readonly config: PipelineConfig;
}

/** The whole pipeline: storage, ingest, batcher, GPU compute, jobs, retraining and monitoring. */
export class BatchInferenceStack extends Stack {
  public readonly storage: PipelineStorage;
  public readonly ingest: IngestQueue;
  public readonly compute: GpuCompute;
  public readonly jobs: WorkerJobs;
  public readonly batcher: BatcherFunction;
  public readonly finisher: BatchFinisher;
  public readonly retrain?: RetrainSchedule;
  public readonly monitoring: PipelineMonitoring;
  public readonly catalog: ResultsCatalog;

  constructor(scope: Construct, id: string, props: BatchInferenceStackProps) {
    super(scope, id, props);
    const config = props.config;
    const batcherTimeout = Duration.seconds(config.batcherTimeoutSeconds);
    const batchingWindow = Duration.seconds(config.batcherBatchingWindowSeconds);

    this.storage = new PipelineStorage(this, 'Storage', {
      existingInputBucketName: config.existingInputBucketName,
      existingResultsBucketName: config.existingResultsBucketName,
      existingModelBucketName: config.existingModelBucketName,
      temporaryObjectExpirationDays: config.temporaryObjectExpirationDays,
    });

    this.ingest = new IngestQueue(this, 'Ingest', {
      inputBucket: this.storage.inputBucket,
      prefix: config.inputPrefix,
      suffixes: config.inputSuffixes,
      consumerTimeout: batcherTimeout,
      consumerBatchingWindow: batchingWindow,
      maxReceiveCount: config.maxReceiveCount,
      namePrefix: config.namePrefix,
    });

    this.compute = new GpuCompute(this, 'Compute', {
      vpc: config.vpcId ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: config.vpcId }) : undefined,
      instanceTypes: config.instanceTypes,
      maxVcpus: config.maxVcpus,
      useSpot: config.useSpot,
      jobQueueName: `${config.namePrefix}-jobs`,
      buckets: [this.storage.inputBucket, this.storage.resultsBucket, this.storage.modelBucket],
    });

    this.jobs = new WorkerJobs(this, 'Jobs', {
      inputBucket: this.storage.inputBucket,
      inputPrefix: config.inputPrefix,
      resultsBucket: this.storage.resultsBucket,
      modelBucket: this.storage.modelBucket,
      modelName: config.modelName,
      imageUri: config.workerImageUri,
      infer: {
        vcpus: config.inferVcpus,
        memoryMiB: config.inferMemoryMiB,
        timeout: Duration.minutes(config.inferTimeoutMinutes),
      },
      train: {
        vcpus: config.trainVcpus,
        memoryMiB: config.trainMemoryMiB,
        timeout: Duration.minutes(config.trainTimeoutMinutes),
      },
      attempts: config.jobAttempts,
      namePrefix: config.namePrefix,
    });

    this.batcher = new BatcherFunction(this, 'Batcher', {
      queue: this.ingest.queue,
      inputBucket: this.storage.inputBucket,
      inputPrefix: config.inputPrefix,
      inputSuffixes: config.inputSuffixes,
      resultsBucket: this.storage.resultsBucket,
      jobQueue: this.compute.jobQueue,
      inferJobDefinition: this.jobs.inferJobDefinition,
      modelName: config.modelName,
      modelVersion: config.modelVersion,
      thresholds: {
        maxFiles: config.maxBatchFiles,
        maxBytes: config.maxBatchBytes,
        maxWait: Duration.seconds(config.maxBatchWaitSeconds),
        shardSize: config.shardSize,
      },
      batchSize: config.batcherBatchSize,
      batchingWindow,
      maxConcurrency: config.batcherMaxConcurrency,
      timeout: batcherTimeout,
      memoryMiB: config.batcherMemoryMiB,
    });

    this.finisher = new BatchFinisher(this, 'Finisher', {
      resultsBucket: this.storage.resultsBucket,
      jobQueue: this.compute.jobQueue,
      inferJobDefinition: this.jobs.inferJobDefinition,
      eventBusName: config.completionEventBusName,
      notificationEmail: config.completionEmail,
      metricsNamespace: this.batcher.metricsNamespace,
    });

    if (config.retrainSchedule !== 'off') {
      this.retrain = new RetrainSchedule(this, 'Retrain', {
        jobQueue: this.compute.jobQueue,
        trainJobDefinition: this.jobs.trainJobDefinition,
        schedule: config.retrainSchedule,
      });
    }

    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      ingestQueue: this.ingest.queue,
      deadLetterQueues: [
        this.ingest.deadLetterQueue,
        ...(this.retrain ? [this.retrain.deadLetterQueue] : []),
        this.finisher.deadLetterQueue,
      ],
      batcher: this.batcher.function,
      jobQueue: this.compute.jobQueue,
      metricsNamespace: this.batcher.metricsNamespace,
      maxMessageAge: Duration.seconds(config.maxMessageAgeSeconds),
      alarmEmail: config.alarmEmail,
      dashboardName: `${config.namePrefix}-pipeline`,
    });

    this.catalog = new ResultsCatalog(this, 'Catalog', {
      resultsBucket: this.storage.resultsBucket,
      // Glue database names take no dash.
      databaseName: `${config.namePrefix.replace(/-/g, '_')}_results`,
      workGroupName: `${config.namePrefix}-results`,
    });

    const outputs: Record<string, string> = {
      InputBucket: this.storage.inputBucket.bucketName,
      InputPrefix: config.inputPrefix,
      ResultsBucket: this.storage.resultsBucket.bucketName,
      ModelBucket: this.storage.modelBucket.bucketName,
      IngestQueueUrl: this.ingest.queue.queueUrl,
      DeadLetterQueueUrl: this.ingest.deadLetterQueue.queueUrl,
      BufferTable: this.batcher.bufferTable.tableName,
      BatcherFunction: this.batcher.function.functionName,
      FinisherFunction: this.finisher.function.functionName,
      FinisherRule: this.finisher.rule.ruleName,
      CompletionEventBus: this.finisher.eventBus.eventBusName,
      JobQueue: this.compute.jobQueue.jobQueueArn,
      InferJobDefinition: this.jobs.inferJobDefinition.jobDefinitionArn,
      TrainJobDefinition: this.jobs.trainJobDefinition.jobDefinitionArn,
      ModelName: config.modelName,
      AlarmTopic: this.monitoring.alarmTopic.topicArn,
      ResultsDatabase: this.catalog.databaseName,
      QueryWorkGroup: this.catalog.workGroupName,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value });
    }
  }
}
