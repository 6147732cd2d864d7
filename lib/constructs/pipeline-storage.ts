import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MODEL_PREFIXES, RESULTS_PREFIXES } from '../contracts/keys';
import { writeOnceStatements } from './private/write-once-policy';

export interface PipelineStorageProps {
  /**
   * Use this existing bucket for inputs.
   * @default - a new encrypted, private bucket
   */
  readonly existingInputBucketName?: string;
  /**
   * Use this existing bucket for manifests, results, errors and summaries.
   * @default - a new encrypted, private bucket
   */
  readonly existingResultsBucketName?: string;
  /**
   * Use this existing bucket for the model registry and training data. It should be versioned.
   * @default - a new encrypted, private, versioned bucket
   */
  readonly existingModelBucketName?: string;
  /**
   * Days after which checkpoints, Athena query results and incomplete multipart uploads are
   * removed.
   * @default 7
   */
  readonly temporaryObjectExpirationDays?: number;
}

/**
 * The pipeline's S3 locations: inputs, results (manifests, results, errors, summaries,
 * checkpoints by prefix) and the model registry with training data. Created buckets are
 * encrypted, private, SSL-only and retained on stack deletion, because they hold user data.
 */
export class PipelineStorage extends Construct {
  public readonly inputBucket: s3.IBucket;
  public readonly resultsBucket: s3.IBucket;
  /** Registry and training data; versioned so no model version can be lost or overwritten. */
  public readonly modelBucket: s3.IBucket;
  /** Server access logs of the created buckets. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PipelineStorageProps = {}) {
    super(scope, id);
    const expirationDays = props.temporaryObjectExpirationDays ?? 7;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketDefaults(),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access log bucket itself; logging it into itself would loop.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: 'This is the access log bucket itself; logging it into itself would loop.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketVersioningEnabled',
        reason:
          'S3 log delivery writes each log object once under a new key; no role of this stack may write or delete here, so there is no earlier version to keep.',
      },
    );

    this.inputBucket = props.existingInputBucketName
      ? s3.Bucket.fromBucketName(this, 'Input', props.existingInputBucketName)
      : new s3.Bucket(this, 'Input', {
          ...secureBucketDefaults(),
          serverAccessLogsBucket: this.accessLogsBucket,
          serverAccessLogsPrefix: 'input/',
          lifecycleRules: [abortIncompleteUploads(expirationDays)],
        });

    this.resultsBucket = props.existingResultsBucketName
      ? s3.Bucket.fromBucketName(this, 'Results', props.existingResultsBucketName)
      : new s3.Bucket(this, 'Results', {
          ...secureBucketDefaults(),
          serverAccessLogsBucket: this.accessLogsBucket,
          serverAccessLogsPrefix: 'results/',
          lifecycleRules: [
            abortIncompleteUploads(expirationDays),
            // Checkpoints only matter while a shard can still be retried.
            {
              id: 'expire-checkpoints',
              prefix: RESULTS_PREFIXES.checkpoints,
              expiration: Duration.days(expirationDays),
            },
            // Athena writes every query's result here; the results themselves stay queryable.
            {
              id: 'expire-query-results',
              prefix: RESULTS_PREFIXES.queryResults,
              expiration: Duration.days(expirationDays),
            },
          ],
        });

    acknowledgeUnversioned(
      this.inputBucket,
      "Inputs are the user's uploads; no role of this stack may write or delete them, and an overwritten upload is a new object event, scored again.",
    );
    acknowledgeUnversioned(
      this.resultsBucket,
      'Results, errors and summaries are recomputable from the inputs and a model version; manifests are write-once by bucket policy; checkpoints are rewritten constantly, and versions of them would only accumulate.',
    );

    this.modelBucket = props.existingModelBucketName
      ? s3.Bucket.fromBucketName(this, 'Models', props.existingModelBucketName)
      : new s3.Bucket(this, 'Models', {
          ...secureBucketDefaults(),
          versioned: true,
          serverAccessLogsBucket: this.accessLogsBucket,
          serverAccessLogsPrefix: 'models/',
          lifecycleRules: [abortIncompleteUploads(expirationDays)],
        });

    // The registry's immutability and the manifests' write-once contract, enforced by S3 for
    // every principal rather than left to the code that writes them. A bucket given by name
    // keeps its owner's policy (CDK cannot change it): docs/operations.md has the statements.
    for (const statement of writeOnceStatements(this.modelBucket, {
      writeOnce: [`${MODEL_PREFIXES.models}*/versions/*`, `${MODEL_PREFIXES.models}*/history/*`],
      compareAndSwap: [`${MODEL_PREFIXES.models}*/champion.json`],
    })) {
      this.modelBucket.addToResourcePolicy(statement);
    }
    for (const statement of writeOnceStatements(this.resultsBucket, {
      writeOnce: [`${RESULTS_PREFIXES.manifests}*`, `${RESULTS_PREFIXES.summaries}*/batch.json`],
    })) {
      this.resultsBucket.addToResourcePolicy(statement);
    }
  }
}

function secureBucketDefaults(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

function abortIncompleteUploads(days: number): s3.LifecycleRule {
  return {
    id: 'abort-incomplete-uploads',
    abortIncompleteMultipartUploadAfter: Duration.days(days),
  };
}

function acknowledgeUnversioned(bucket: s3.IBucket, reason: string): void {
  if (bucket instanceof s3.Bucket) {
    Validations.of(bucket).acknowledge({ id: 'NIST.800.53.R5-S3BucketVersioningEnabled', reason });
  }
}
