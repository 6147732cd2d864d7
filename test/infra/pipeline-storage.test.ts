import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

function createdBuckets() {
  return template.findResources('AWS::S3::Bucket');
}

describe('PipelineStorage defaults', () => {
  it('creates input, results, model and access-log buckets', () => {
    template.resourceCountIs('AWS::S3::Bucket', 4);
  });

  it('encrypts every bucket', () => {
    for (const bucket of Object.values(createdBuckets())) {
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      });
    }
  });

  it('blocks all public access on every bucket', () => {
    for (const bucket of Object.values(createdBuckets())) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('enforces SSL with a deny on insecure transport for every bucket', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(4);
  });

  it('versions the model bucket so no model version can be lost', () => {
    const versioned = Object.values(createdBuckets()).filter(
      (bucket) =>
        (bucket.Properties.VersioningConfiguration as { Status?: string } | undefined)?.Status ===
        'Enabled',
    );
    expect(versioned).toHaveLength(1);
  });

  it('retains created buckets when the stack is deleted', () => {
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('expires checkpoints, which only matter while a shard can be retried, after 7 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'expire-checkpoints',
            Prefix: 'checkpoints/',
            ExpirationInDays: 7,
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });

  it('expires Athena query results after 7 days, like the other temporary objects', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'expire-query-results',
            Prefix: 'query-results/',
            ExpirationInDays: 7,
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });
});

describe('PipelineStorage with existing buckets', () => {
  it('creates no bucket for the inputs, results or models it is given', () => {
    // given all three buckets exist already
    const existing = synthTemplate({
      pipeline: {
        existingInputBucketName: 'team-uploads',
        existingResultsBucketName: 'team-results',
        existingModelBucketName: 'team-models',
      },
    });

    // then only the access-log bucket is created
    existing.resourceCountIs('AWS::S3::Bucket', 1);
  });
});

describe('PipelineStorage write-once rules', () => {
  type PolicyStatement = {
    Sid?: string;
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: unknown;
    Condition?: unknown;
  };

  function bucketPolicy(bucketLogicalIdPrefix: string): PolicyStatement[] {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Bucket).includes(bucketLogicalIdPrefix),
    );
    return policy.Properties.PolicyDocument.Statement;
  }

  const keyPatterns = (statement: PolicyStatement | undefined) =>
    [statement?.Resource]
      .flat()
      .map((resource) => JSON.stringify(resource).match(/"\/([^"]+)"/)?.[1])
      .sort();

  it('lets no one replace a model version file or a history event, only create them', () => {
    // given the model bucket's policy
    const create = bucketPolicy('StorageModels').find((s) => s.Sid === 'DenyUnconditionalCreate');

    // then every put without If-None-Match under versions/ and history/ is denied to everyone
    expect(create).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: {
        Null: { 's3:if-none-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
      },
    });
    expect(keyPatterns(create)).toEqual(['models/*/history/*', 'models/*/versions/*']);
  });

  it('lets no one delete a model version file or a history event', () => {
    const deletes = bucketPolicy('StorageModels').find((s) => s.Sid === 'DenyDeletingWriteOnce');
    expect(deletes).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    expect(deletes?.Condition).toBeUndefined();
    expect(keyPatterns(deletes)).toEqual(['models/*/history/*', 'models/*/versions/*']);
  });

  it('moves the champion pointer only by a conditional write', () => {
    const cas = bucketPolicy('StorageModels').find((s) => s.Sid === 'DenyBlindReplace');
    expect(cas).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: {
        Null: { 's3:if-none-match': 'true', 's3:if-match': 'true' },
        Bool: { 's3:ObjectCreationOperation': 'true' },
      },
    });
    expect(keyPatterns(cas)).toEqual(['models/*/champion.json']);
  });

  it('makes manifests and batch summaries write-once for everyone', () => {
    const statements = bucketPolicy('StorageResults');
    const create = statements.find((s) => s.Sid === 'DenyUnconditionalCreate');
    const deletes = statements.find((s) => s.Sid === 'DenyDeletingWriteOnce');
    expect(keyPatterns(create)).toEqual(['manifests/*', 'summaries/*/batch.json']);
    expect(keyPatterns(deletes)).toEqual(['manifests/*', 'summaries/*/batch.json']);
  });
});
