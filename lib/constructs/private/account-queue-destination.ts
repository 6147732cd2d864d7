import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * An S3 notification destination like aws-s3-notifications' SqsDestination, whose queue policy
 * admits S3 only for the given bucket of this account. SourceArn alone names a bucket, and
 * bucket names are global: a bucket of that name in another account (after this one is deleted)
 * could publish too. SourceAccount closes that:
 * Amazon S3 User Guide, "Granting permissions to publish event notification messages to a destination"
 */
export function accountQueueDestination(queue: sqs.IQueue): s3.IBucketNotificationDestination {
  return {
    bind: (scope: Construct, bucket: s3.IBucket): s3.BucketNotificationDestinationConfig => {
      // Only SendMessage: grantSendMessages would add GetQueueAttributes and GetQueueUrl,
      // which S3 does not call.
      queue.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [queue.queueArn],
          conditions: {
            ArnLike: { 'aws:SourceArn': bucket.bucketArn },
            StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
          },
        }),
      );
      return {
        arn: queue.queueArn,
        type: s3.BucketNotificationDestinationType.QUEUE,
        // The notification is created after the queue and its policy, which S3 checks.
        dependencies: [queue],
      };
    },
  };
}
