import { Match, Template } from 'aws-cdk-lib/assertions';
import { INFER_COMMAND, TRAIN_COMMAND } from '../../lib/contracts/job-contract';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

type Statement = { Action: string | string[]; Resource: unknown };

function roleStatements(roleLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${roleLogicalIdPrefix}`) }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

function writablePrefixes(statements: Statement[]): string[] {
  return statements
    .filter((s) => [s.Action].flat().some((action) => action.startsWith('s3:PutObject')))
    .flatMap((s) => [s.Resource].flat())
    .map(
      (resource) =>
        JSON.stringify(resource).match(/\/([a-z]+\/)\*/)?.[1] ?? JSON.stringify(resource),
    )
    .sort();
}

describe('WorkerJobs', () => {
  it('asks for one GPU and the configured vCPUs and memory for inference', () => {
    const infer = template.findResources('AWS::Batch::JobDefinition', {
      Properties: { JobDefinitionName: 'gbi-infer' },
    });
    const container = Object.values(infer)[0].Properties.ContainerProperties;

    expect(container.Command).toEqual([...INFER_COMMAND]);
    expect(container.ResourceRequirements).toEqual(
      expect.arrayContaining([
        { Type: 'GPU', Value: '1' },
        { Type: 'VCPU', Value: '4' },
        { Type: 'MEMORY', Value: '14336' },
      ]),
    );
  });

  it.each(['gbi-infer', 'gbi-train'])(
    'pins %s to the tfjs-node-gpu backend, so a broken GPU image fails instead of scoring on CPU',
    (name) => {
      template.hasResourceProperties('AWS::Batch::JobDefinition', {
        JobDefinitionName: name,
        ContainerProperties: Match.objectLike({
          Environment: Match.arrayWith([{ Name: 'TFJS_BACKEND', Value: 'tfjs-node-gpu' }]),
        }),
      });
    },
  );

  it.each(['gbi-infer', 'gbi-train'])(
    'gives %s the stack region as AWS_REGION, which ECS on EC2 does not set',
    (name) => {
      template.hasResourceProperties('AWS::Batch::JobDefinition', {
        JobDefinitionName: name,
        ContainerProperties: Match.objectLike({
          Environment: Match.arrayWith([{ Name: 'AWS_REGION', Value: { Ref: 'AWS::Region' } }]),
        }),
      });
    },
  );

  it('runs the retrain job with the train command and the model name as its default parameter', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'gbi-train',
      Parameters: { model: 'digits' },
      ContainerProperties: Match.objectLike({ Command: [...TRAIN_COMMAND] }),
    });
  });

  it('retries only spot reclaims, at most 3 attempts, and exits on anything else', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'gbi-infer',
      RetryStrategy: {
        Attempts: 3,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnReason: '*' },
        ],
      },
    });
  });

  it('times out inference after the configured minutes', () => {
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'gbi-infer',
      Timeout: { AttemptDurationSeconds: 120 * 60 },
    });
  });

  it('builds the image from container/ at deploy time by default', () => {
    const definition = Object.values(template.findResources('AWS::Batch::JobDefinition'))[0];
    expect(JSON.stringify(definition.Properties.ContainerProperties.Image)).toContain(
      'cdk-hnb659fds-container-assets',
    );
  });

  it('uses a prebuilt image URI when one is configured', () => {
    const prebuilt = synthTemplate({
      pipeline: { workerImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0' },
    });
    prebuilt.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: Match.objectLike({
        Image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.0.0',
      }),
    });
  });

  it('lets inference write only results, errors, summaries and checkpoints', () => {
    expect(writablePrefixes(roleStatements('JobsInferRole'))).toEqual([
      'checkpoints/',
      'errors/',
      'results/',
      'summaries/',
    ]);
  });

  it('lets retraining create only versions, history events and champion moves, not its training config', () => {
    const puts = roleStatements('JobsTrainRole')
      .filter((s) => [s.Action].flat().includes('s3:PutObject'))
      .flatMap((s) => [s.Resource].flat())
      .map((resource) => JSON.stringify(resource).match(/\/(models\/[^"]*)"/)?.[1]);
    expect(puts.sort()).toEqual([
      'models/*/champion.json',
      'models/*/history/*',
      'models/*/versions/*',
    ]);
  });

  it('keeps the job log group when the stack is deleted, like the data', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    const jobLogs = Object.entries(groups).find(([id]) => id.startsWith('JobsLogs'));
    expect(jobLogs?.[1]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('gives retraining no access to the input bucket', () => {
    expect(JSON.stringify(roleStatements('JobsTrainRole'))).not.toContain('StorageInput');
  });
});
