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

  it('logs all VPC traffic, accepted and rejected', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('requires IMDSv2 with a hop limit of 1 on every GPU instance', () => {
    // given the launch template both environments use
    const templates = template.findResources('AWS::EC2::LaunchTemplate');
    const [id] = Object.keys(templates);
    expect(Object.keys(templates)).toHaveLength(1);

    // then it requires session tokens and stops them one hop from the instance
    expect(templates[id].Properties.LaunchTemplateData.MetadataOptions).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
    });
    for (const environment of Object.values(
      template.findResources('AWS::Batch::ComputeEnvironment'),
    )) {
      expect(environment.Properties.ComputeResources.LaunchTemplate).toEqual({
        LaunchTemplateId: { Ref: id },
      });
    }
  });

  it('limits the S3 gateway endpoint to the pipeline buckets and the AWS-owned ones pulls need', () => {
    // given the endpoint's policy
    const [endpoint] = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    const statements = endpoint.Properties.PolicyDocument.Statement as {
      Sid: string;
      Resource: unknown;
    }[];

    // then it names every resource: the three pipeline buckets, ECR layers, Amazon Linux repos
    expect(statements.map((s) => s.Sid).sort()).toEqual([
      'AmazonLinuxRepositories',
      'EcrImageLayers',
      'PipelineBuckets',
    ]);
    expect(JSON.stringify(statements)).not.toContain('"Resource":"*"');
    const pipeline = statements.find((s) => s.Sid === 'PipelineBuckets')!;
    const buckets = JSON.stringify(pipeline.Resource);
    for (const bucket of ['StorageInput', 'StorageResults', 'StorageModels']) {
      expect(buckets).toContain(bucket);
    }
    expect(buckets).not.toContain('AccessLogs');
    expect(JSON.stringify(statements)).toContain('-starport-layer-bucket/*');
  });

  it('lets the job instances out on HTTPS only and in not at all', () => {
    // given the security group of the compute environments
    const [environment] = Object.values(template.findResources('AWS::Batch::ComputeEnvironment'));
    const [
      {
        'Fn::GetAtt': [groupId],
      },
    ] = environment.Properties.ComputeResources.SecurityGroupIds;
    const group = template.findResources('AWS::EC2::SecurityGroup')[groupId];

    // then its only rule is TCP 443 outbound
    expect(group.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('assigns no public IP addresses automatically, not even in the NAT subnets', () => {
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  it('runs only on-demand capacity when spot is switched off', () => {
    const onDemand = synthTemplate({ pipeline: { useSpot: false } });
    for (const environment of Object.values(
      onDemand.findResources('AWS::Batch::ComputeEnvironment'),
    )) {
      expect(environment.Properties.ComputeResources).toMatchObject({ Type: 'EC2' });
    }
  });

  it('places jobs in the private subnets of an existing VPC given by id, creating no VPC', () => {
    // given a VPC id and the lookup result `cdk synth` caches in cdk.context.json
    const vpcId = 'vpc-0123456789abcdef0';
    const existing = synthTemplate({
      pipeline: { vpcId },
      env: { account: '123456789012', region: 'eu-west-1' },
      context: {
        [`vpc-provider:account=123456789012:filter.vpc-id=${vpcId}:region=eu-west-1:returnAsymmetricSubnets=true`]:
          {
            vpcId,
            vpcCidrBlock: '10.1.0.0/16',
            availabilityZones: [],
            subnetGroups: [
              {
                name: 'Private',
                type: 'Private',
                subnets: [
                  {
                    subnetId: 'subnet-0aaaaaaaaaaaaaaa1',
                    cidr: '10.1.0.0/20',
                    availabilityZone: 'eu-west-1a',
                    routeTableId: 'rtb-01',
                  },
                  {
                    subnetId: 'subnet-0aaaaaaaaaaaaaaa2',
                    cidr: '10.1.16.0/20',
                    availabilityZone: 'eu-west-1b',
                    routeTableId: 'rtb-02',
                  },
                ],
              },
            ],
          },
      },
    });

    // then no VPC is created and both compute environments use its subnets
    existing.resourceCountIs('AWS::EC2::VPC', 0);
    for (const environment of Object.values(
      existing.findResources('AWS::Batch::ComputeEnvironment'),
    )) {
      expect(environment.Properties.ComputeResources.Subnets).toEqual([
        'subnet-0aaaaaaaaaaaaaaa1',
        'subnet-0aaaaaaaaaaaaaaa2',
      ]);
    }
  });
});
