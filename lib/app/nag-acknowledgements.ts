import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import { IConstruct } from 'constructs';

const IAM5 = 'AwsSolutions-IAM5';

/**
 * Wildcards this project accepts by design, each with its reason. cdk-nag 3 matches
 * acknowledgements by exact finding id, so these are matched against the findings the IAM5 rule
 * itself computes: any wildcard not described here still fails synthesis.
 */
const JUSTIFIED_WILDCARDS: readonly { pattern: RegExp; reason: string }[] = [
  {
    // Object keys under one of this pipeline's prefixes, e.g. <Bucket.Arn>/manifests/*.
    pattern:
      /^Resource::(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/[A-Za-z0-9_./-]*\/\*$/,
    reason:
      "Object-level access is granted on this pipeline's key prefixes (prefix/*) of its own buckets only.",
  },
];

/** Acknowledges, on each IAM policy of `scope`, the IAM5 findings listed in JUSTIFIED_WILDCARDS. */
export function acknowledgeJustifiedWildcards(scope: IConstruct): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy || node instanceof iam.CfnRole)) continue;
    const findings = rules.iam.IAMNoWildcardPermissions(node as CfnResource);
    if (!Array.isArray(findings)) continue;
    for (const finding of findings) {
      const match = JUSTIFIED_WILDCARDS.find(({ pattern }) => pattern.test(finding));
      if (match) {
        Validations.of(node).acknowledge({ id: `${IAM5}[${finding}]`, reason: match.reason });
      }
    }
  }
}

/** Acknowledgements for resources CDK itself adds to the stack (singleton handler functions). */
export function acknowledgeCdkProvidedResources(stack: Stack): void {
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "Lambda functions (the batcher and CDK's notification and log-policy handlers) may only write their own logs with this policy.",
  });
  for (const node of stack.node.findAll()) {
    // CDK's singleton handlers: S3 notification configuration and the EventBridge log-group policy.
    if (
      /^(BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287|EventsLogGroupPolicy)/.test(
        node.node.id,
      )
    ) {
      Validations.of(node).acknowledge({
        id: `${IAM5}[Resource::*]`,
        reason:
          'CDK-provided handler: PutBucketNotification and PutResourcePolicy for logs accept no narrower resource.',
      });
    }
  }
}
