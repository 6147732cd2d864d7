import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Bucket-policy statements that make objects under some key patterns write-once and others
 * compare-and-swap, for every principal, the stack's own roles included. S3 evaluates the
 * conditional-write headers in bucket policies (s3:if-none-match, s3:if-match); the
 * s3:ObjectCreationOperation clause keeps the deny off CreateMultipartUpload and UploadPart,
 * which authorise as s3:PutObject but cannot carry the headers:
 * Amazon S3 User Guide, "Enforce conditional writes on Amazon S3 buckets"
 * The Sids are stable: tests and docs/operations.md name them.
 */
export interface WriteOnceRules {
  /** Key patterns (e.g. `models/*\/versions/*`) that may be created, never replaced or deleted. */
  readonly writeOnce: readonly string[];
  /** Key patterns that may be replaced only by a conditional write (If-Match or If-None-Match). */
  readonly compareAndSwap?: readonly string[];
}

export function writeOnceStatements(
  bucket: s3.IBucket,
  rules: WriteOnceRules,
): iam.PolicyStatement[] {
  const everyone = [new iam.AnyPrincipal()];
  const objects = (patterns: readonly string[]) => patterns.map((p) => bucket.arnForObjects(p));
  const statements = [
    new iam.PolicyStatement({
      sid: 'DenyUnconditionalCreate',
      effect: iam.Effect.DENY,
      principals: everyone,
      actions: ['s3:PutObject'],
      resources: objects(rules.writeOnce),
      conditions: {
        Null: { 's3:if-none-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
      },
    }),
    new iam.PolicyStatement({
      // In a versioned bucket a delete only adds a delete marker, after which a conditional
      // create would succeed again: write-once needs deletes denied too.
      sid: 'DenyDeletingWriteOnce',
      effect: iam.Effect.DENY,
      principals: everyone,
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: objects(rules.writeOnce),
    }),
  ];
  if (rules.compareAndSwap && rules.compareAndSwap.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'DenyBlindReplace',
        effect: iam.Effect.DENY,
        principals: everyone,
        actions: ['s3:PutObject'],
        resources: objects(rules.compareAndSwap),
        conditions: {
          Null: { 's3:if-none-match': 'true', 's3:if-match': 'true' },
          Bool: { 's3:ObjectCreationOperation': 'true' },
        },
      }),
    );
  }
  return statements;
}
