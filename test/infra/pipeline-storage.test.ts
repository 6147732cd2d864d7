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
