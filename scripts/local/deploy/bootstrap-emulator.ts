import {
  CreateServiceLinkedRoleCommand,
  EntityAlreadyExistsException,
  IAMClient,
  InvalidInputException,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** The qualifier `cdk bootstrap` uses unless told otherwise; the synthesized template names it. */
export const CDK_QUALIFIER = 'hnb659fds';
/** A bootstrap version new enough for the template's CheckBootstrapVersion rule. */
const BOOTSTRAP_VERSION = '30';

export interface BootstrapResult {
  readonly account: string;
  readonly region: string;
  readonly assetBucket: string;
  readonly batchServiceRoleArn: string;
}

/** The account id is the fifth field of an ARN. */
function accountOf(arn: string): string {
  const account = arn.split(':')[4];
  if (!account) throw new Error(`arn: no account id in '${arn}'`);
  return account;
}

async function batchServiceLinkedRole(iam: IAMClient): Promise<string> {
  try {
    const { Role } = await iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }),
    );
    return Role!.Arn!;
  } catch (error) {
    // Already there: an earlier deploy into the same emulator (moto) or AWS's wording for it.
    if (!(
      error instanceof EntityAlreadyExistsException || error instanceof InvalidInputException
    )) {
      throw error;
    }
    const { Roles = [] } = await iam.send(
      new ListRolesCommand({ PathPrefix: '/aws-service-role/batch.amazonaws.com/' }),
    );
    if (!Roles[0]?.Arn) throw error;
    return Roles[0].Arn;
  }
}

/**
 * What `cdk bootstrap` and AWS itself provide before a CDK stack deploys: the bootstrap asset
 * bucket, the bootstrap version parameter the template checks, and the Batch service-linked
 * role AWS creates on first use of Batch. Idempotent.
 */
export async function bootstrapEmulator(region: string): Promise<BootstrapResult> {
  const iam = new IAMClient({});
  const batchServiceRoleArn = await batchServiceLinkedRole(iam);
  const account = accountOf(batchServiceRoleArn);
  const assetBucket = `cdk-${CDK_QUALIFIER}-assets-${account}-${region}`;
  const s3 = new S3Client({ forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: assetBucket }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  await new SSMClient({}).send(
    new PutParameterCommand({
      Name: `/cdk-bootstrap/${CDK_QUALIFIER}/version`,
      Value: BOOTSTRAP_VERSION,
      Type: 'String',
      Overwrite: true,
    }),
  );
  return { account, region, assetBucket, batchServiceRoleArn };
}
