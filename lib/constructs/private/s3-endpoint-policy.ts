import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Statements of the S3 gateway endpoint policy: the pipeline's own buckets, plus the two
 * AWS-owned buckets an instance in the VPC reads. Anything else (another account's bucket, a
 * bucket of this account the pipeline does not use) is refused at the endpoint, whatever the
 * caller's IAM policy says.
 */
export function s3EndpointPolicy(buckets: readonly s3.IBucket[]): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'EcrImageLayers',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      // ECR serves image layers from this bucket; without it image pulls fail:
      // Amazon ECR User Guide, "Amazon ECR interface VPC endpoints", minimum Amazon S3 bucket permissions
      resources: [`arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`],
    }),
    new iam.PolicyStatement({
      sid: 'AmazonLinuxRepositories',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      // dnf on the ECS-optimised Amazon Linux 2023 image reads its repositories from this
      // bucket (security updates on the instances); it holds only Amazon Linux packages.
      resources: [`arn:${Aws.PARTITION}:s3:::al2023-repos-${Aws.REGION}-de612dc2/*`],
    }),
  ];
  if (buckets.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PipelineBuckets',
        principals: [new iam.AnyPrincipal()],
        // What the job roles use; the roles themselves narrow it further by prefix. A read with
        // VersionId is s3:GetObjectVersion (versioned input buckets), and aborting a failed
        // multipart upload is s3:AbortMultipartUpload, which otherwise replaces the real error.
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:DeleteObject',
          's3:ListBucket',
        ],
        resources: buckets.flatMap((bucket) => [bucket.bucketArn, bucket.arnForObjects('*')]),
      }),
    );
  }
  return statements;
}
