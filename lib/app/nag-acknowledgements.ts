import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
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
  {
    // The batch summaries, summaries/<batch-id>/batch.json, the one object the finisher creates.
    pattern:
      /^Resource::(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/summaries\/\*\/batch\.json$/,
    reason:
      'The finisher creates only batch.json of any batch (If-None-Match required), and no other object.',
  },
  {
    // The shard summaries, summaries/<batch-id>/shard-NNNNN.json, the summaries a job writes.
    pattern:
      /^Resource::(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/summaries\/\*\/shard-\*$/,
    reason: "An inference job writes the shard summaries of any batch, never a batch's batch.json.",
  },
  {
    // The registry objects a train job creates: models/<name>/versions/*, history/*, champion.json.
    pattern:
      /^Resource::(<[A-Za-z0-9]+\.Arn>|arn:<AWS::Partition>:s3:::[a-z0-9.-]+)\/models\/\*\/(versions\/\*|history\/\*|champion\.json)$/,
    reason:
      'A train job creates versions, history events and champion moves of any model (write-once or compare-and-swap by bucket policy), and nothing else under models/.',
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

/**
 * CDK's own singleton handlers, by construct id: the S3 notification handler, the
 * AwsCustomResource function (EventBridge's log-group resource policy), and the provider that
 * empties the default security group. They run only while CloudFormation deploys the stack.
 */
const CDK_HANDLER_IDS =
  /^(BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287|EventsLogGroupPolicy|Custom::VpcRestrictDefaultSGCustomResourceProvider)/;

const DEPLOY_TIME = 'A CDK-provided handler that runs only while CloudFormation deploys the stack';

/** What each CDK handler is acknowledged for, each reason true of every handler it is put on. */
const CDK_HANDLER_ACKNOWLEDGEMENTS: readonly { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: `${DEPLOY_TIME}; CDK gives it the AWS-managed basic execution policy for its logs and offers no option to narrow it.`,
  },
  {
    id: `${IAM5}[Resource::*]`,
    reason: `${DEPLOY_TIME}: PutBucketNotification, PutResourcePolicy for logs and the default security group rules accept no narrower resource.`,
  },
  {
    id: 'NIST.800.53.R5-LambdaConcurrency',
    reason: `${DEPLOY_TIME}, once per change of the resource it manages; nothing else invokes it.`,
  },
  {
    id: 'NIST.800.53.R5-LambdaDLQ',
    reason: `${DEPLOY_TIME}; CloudFormation invokes it synchronously and fails the deployment on error, so there is no asynchronous event to keep.`,
  },
  {
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason: `${DEPLOY_TIME}; it calls only AWS APIs (S3, CloudWatch Logs, EC2) and reaches no resource inside the VPC.`,
  },
];

/** Acknowledges, on each of CDK's own handlers and nowhere else, the findings they cannot fix. */
export function acknowledgeCdkProvidedResources(stack: Stack): void {
  for (const node of stack.node.findAll()) {
    if (CDK_HANDLER_IDS.test(node.node.id)) {
      Validations.of(node).acknowledge(...CDK_HANDLER_ACKNOWLEDGEMENTS);
    }
  }
}

/**
 * Findings true of every resource of a type in this stack, acknowledged on each such resource
 * (not on the stack, so a resource added later of another type is still checked).
 */
export function acknowledgeByResourceType(stack: Stack): void {
  for (const node of stack.node.findAll()) {
    if (node instanceof iam.CfnPolicy) {
      Validations.of(node).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "Each inline policy belongs to exactly one role of this stack (CDK grants), is created and deleted with it, and names only that role's resources; a managed policy would be attached to the same single role.",
      });
    }
    if (node instanceof logs.CfnLogGroup) {
      Validations.of(node).acknowledge({
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason:
          'CloudWatch Logs encrypts every log group at rest with service-managed keys; who can read the logs is decided by IAM either way, and a customer-managed KMS key would add a key policy for the Logs service and its cost.',
      });
    }
    if (node instanceof s3.CfnBucket) {
      Validations.of(node).acknowledge(
        {
          id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
          reason:
            'Encrypted at rest with SSE-S3 (AES-256, S3-managed keys) and SSL-only; access is decided by IAM and the bucket policy. S3 server access logging accepts only SSE-S3 destinations, and a KMS key on the data buckets would add key policies for every job role and per-request KMS cost. Deployments that need KMS bring their own buckets (existing*BucketName).',
        },
        {
          id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
          reason:
            'Replication needs a destination bucket in a second Region, which this single-Region stack cannot create; deployments that need it bring replicated buckets (existing*BucketName).',
        },
      );
    }
  }
}
