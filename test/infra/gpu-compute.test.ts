import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

describe('GpuCompute', () => {
  it('runs the primary environment on spot with price-capacity-optimised allocation', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      Type: 'managed',
      ComputeResources: Match.objectLike({
        Type: 'SPOT',
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      }),
    });
  });

  it('keeps an on-demand environment behind the spot one in the same job queue', () => {
    template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({ Type: 'EC2' }),
    });
    template.hasResourceProperties('AWS::Batch::JobQueue', {
      ComputeEnvironmentOrder: [
        {
          ComputeEnvironment: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^ComputePrimary'), 'ComputeEnvironmentArn'],
          },
          Order: 1,
        },
        {
          ComputeEnvironment: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^ComputeOnDemand'), 'ComputeEnvironmentArn'],
          },
          Order: 2,
        },
      ],
    });
  });

  it('scales both environments to zero vCPUs when idle', () => {
    const environments = Object.values(template.findResources('AWS::Batch::ComputeEnvironment'));
    expect(environments).toHaveLength(2);
    for (const environment of environments) {
      expect(environment.Properties.ComputeResources).toMatchObject({ MinvCpus: 0, MaxvCpus: 64 });
    }
  });

  it('uses the configured GPU instance types and the ECS AL2023 NVIDIA image', () => {
    for (const environment of Object.values(
      template.findResources('AWS::Batch::ComputeEnvironment'),
    )) {
      expect(environment.Properties.ComputeResources).toMatchObject({
        InstanceTypes: ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'],
        Ec2Configuration: [{ ImageType: 'ECS_AL2023_NVIDIA' }],
      });
    }
  });

  it('gives the VPC an S3 gateway endpoint so image layers and data bypass the NAT', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  it('logs rejected VPC traffic', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
  });

  it('runs only on-demand capacity when spot is switched off', () => {
    const onDemand = synthTemplate({ pipeline: { useSpot: false } });
    for (const environment of Object.values(
      onDemand.findResources('AWS::Batch::ComputeEnvironment'),
    )) {
      expect(environment.Properties.ComputeResources).toMatchObject({ Type: 'EC2' });
    }
  });
});
