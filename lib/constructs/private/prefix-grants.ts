import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * S3 grants limited to one key prefix, for objects and for listing alike. CDK's bucket grants
 * scope objects by a key pattern but allow listing the whole bucket; here ListBucket carries an
 * s3:prefix condition, so a role sees no key outside the prefixes it works on:
 * Amazon S3 User Guide, "Bucket policy examples using condition keys"
 */
export interface PrefixAccess {
  /** Read objects (and, with `versions`, object versions) under the prefix. */
  readonly read?: boolean;
  /** The grantee reads specific object versions (GetObject with VersionId). */
  readonly versions?: boolean;
  /** List keys under the prefix. */
  readonly list?: boolean;
  /** Create or replace objects under the prefix (the bucket policy may narrow this). */
  readonly put?: boolean;
  /**
   * The grantee uploads in parts (lib-storage's Upload), so it may abort its own multipart
   * uploads. A single PutObject needs no AbortMultipartUpload.
   */
  readonly multipart?: boolean;
  /**
   * Key pattern, under the prefix, of the objects `put` covers.
   * @default '*' (every key under the prefix)
   */
  readonly putPattern?: string;
  /** Delete objects under the prefix. */
  readonly delete?: boolean;
}

export function grantPrefix(
  grantee: iam.IGrantable,
  bucket: s3.IBucket,
  prefix: string,
  access: PrefixAccess,
): void {
  const putPattern = access.putPattern ?? '*';
  const writes = access.put
    ? ['s3:PutObject', ...(access.multipart ? ['s3:AbortMultipartUpload'] : [])]
    : [];
  const objectActions = [
    ...(access.read ? ['s3:GetObject'] : []),
    ...(access.read && access.versions ? ['s3:GetObjectVersion'] : []),
    ...(putPattern === '*' ? writes : []),
    ...(access.delete ? ['s3:DeleteObject'] : []),
  ];
  if (objectActions.length > 0) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: objectActions,
        resources: [bucket.arnForObjects(`${prefix}*`)],
      }),
    );
  }
  if (putPattern !== '*' && writes.length > 0) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: writes,
        resources: [bucket.arnForObjects(`${prefix}${putPattern}`)],
      }),
    );
  }
  if (access.list) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        // An empty prefix is the whole bucket: a ListObjects without Prefix sends no s3:prefix,
        // which a StringLike condition would refuse.
        ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } } : {}),
      }),
    );
  }
}
