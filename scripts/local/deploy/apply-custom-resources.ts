import {
  PutBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import type { LiftedCustomResource } from './emulator-template';

/** The custom resource types this module performs itself (the rest have no local effect). */
export const APPLIED_TYPES: readonly string[] = ['Custom::S3BucketNotifications'];

export interface AppliedCustomResource {
  readonly logicalId: string;
  readonly type: string;
  readonly outcome: string;
}

/**
 * Why the custom resources that are not applied change nothing the emulator would observe.
 * A type missing here and from the applied ones stops the deploy: it may matter.
 */
const NO_LOCAL_EFFECT: Readonly<Record<string, string>> = {
  'Custom::VpcRestrictDefaultSG':
    'skipped: removes the default security group rules; no traffic flows in the emulator',
  'Custom::CloudwatchLogResourcePolicy':
    'skipped: lets EventBridge write failed-job events to CloudWatch Logs; the emulator delivers no Batch events',
};

/**
 * Does what each removed custom resource's provider would have done, from its own resolved
 * properties: the S3 notification handler's PutBucketNotificationConfiguration, exactly.
 */
export async function applyCustomResources(
  resources: readonly { readonly resource: LiftedCustomResource; readonly properties: unknown }[],
  s3: S3Client,
): Promise<AppliedCustomResource[]> {
  const applied: AppliedCustomResource[] = [];
  for (const { resource, properties } of resources) {
    if (resource.type === APPLIED_TYPES[0]) {
      const props = properties as {
        BucketName: string;
        NotificationConfiguration: PutBucketNotificationConfigurationCommandInput['NotificationConfiguration'];
      };
      await s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: props.BucketName,
          NotificationConfiguration: props.NotificationConfiguration,
        }),
      );
      applied.push({
        logicalId: resource.logicalId,
        type: resource.type,
        outcome: `applied: PutBucketNotificationConfiguration on ${props.BucketName}`,
      });
    } else if (NO_LOCAL_EFFECT[resource.type]) {
      applied.push({
        logicalId: resource.logicalId,
        type: resource.type,
        outcome: NO_LOCAL_EFFECT[resource.type],
      });
    } else {
      throw new Error(
        `${resource.logicalId}: custom resource type ${resource.type} has no local equivalent; add one in scripts/local/deploy/apply-custom-resources.ts`,
      );
    }
  }
  return applied;
}
