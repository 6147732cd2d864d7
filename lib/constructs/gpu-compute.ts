import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { jobEgress } from './private/job-egress';
import { s3EndpointPolicy } from './private/s3-endpoint-policy';

export interface GpuComputeProps {
  /**
   * Run the jobs in this VPC; it needs private subnets with egress and should have an S3 gateway
   * endpoint.
   * @default - a new VPC with 2 AZs, one NAT gateway and an S3 gateway endpoint
   */
  readonly vpc?: ec2.IVpc;
  /**
   * GPU instance types for both compute environments.
   * @default ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge']
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Upper bound of vCPUs of each compute environment.
   * @default 64
   */
  readonly maxVcpus?: number;
  /**
   * Whether the first compute environment uses spot capacity.
   * @default true
   */
  readonly useSpot?: boolean;
  /**
   * Job queue name.
   * @default - generated
   */
  readonly jobQueueName?: string;
  /**
   * The buckets jobs read and write. The S3 gateway endpoint of a created VPC admits only these
   * (and the AWS-owned buckets image pulls and the AMI need); an existing VPC's endpoint is
   * left as its owner configured it.
   * @default [] (a created VPC's endpoint then admits only the AWS-owned buckets)
   */
  readonly buckets?: readonly s3.IBucket[];
}

/**
 * GPU capacity that scales to zero: a spot compute environment first, an on-demand one behind it
 * in the same job queue, both on the ECS GPU-optimised Amazon Linux 2023 image.
 */
export class GpuCompute extends Construct {
  public readonly vpc: ec2.IVpc;
  public readonly jobQueue: batch.JobQueue;
  public readonly spotEnvironment: batch.ManagedEc2EcsComputeEnvironment;
  public readonly onDemandEnvironment: batch.ManagedEc2EcsComputeEnvironment;
  /** Security group of the job instances: HTTPS out only, nothing in. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Instance settings shared by both environments (IMDSv2 only, one hop). */
  public readonly launchTemplate: ec2.LaunchTemplate;

  constructor(scope: Construct, id: string, props: GpuComputeProps = {}) {
    super(scope, id);
    this.vpc = props.vpc ?? this.createVpc(props.buckets ?? []);
    this.securityGroup = jobEgress(this, 'Instances', this.vpc);
    this.launchTemplate = new ec2.LaunchTemplate(this, 'Instance', {
      // Session tokens only, and a hop limit of 1: a container on the docker bridge is one hop
      // further than the instance, so it cannot reach IMDS and the instance role. Jobs get
      // their own role's credentials from the ECS agent instead.
      // Amazon EC2 User Guide, "Configure the instance metadata options for existing instances"
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
    });
    const instanceTypes = (props.instanceTypes ?? ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge']).map(
      (name) => new ec2.InstanceType(name),
    );
    const common = {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      launchTemplate: this.launchTemplate,
      instanceTypes,
      // Only the configured GPU types: "optimal" would add CPU-only families.
      useOptimalInstanceClasses: false,
      // Pinned explicitly: the NVIDIA driver and container toolkit come with this image.
      images: [{ imageType: batch.EcsMachineImageType.ECS_AL2023_NVIDIA }],
      // Scale to zero: no idle GPU bill.
      minvCpus: 0,
      maxvCpus: props.maxVcpus ?? 64,
      updateToLatestImageVersion: true,
    };
    const useSpot = props.useSpot ?? true;
    this.spotEnvironment = new batch.ManagedEc2EcsComputeEnvironment(this, 'Primary', {
      ...common,
      spot: useSpot,
      allocationStrategy: useSpot
        ? batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED
        : batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
    });
    this.onDemandEnvironment = new batch.ManagedEc2EcsComputeEnvironment(this, 'OnDemand', {
      ...common,
      spot: false,
      allocationStrategy: batch.AllocationStrategy.BEST_FIT_PROGRESSIVE,
    });
    for (const environment of [this.spotEnvironment, this.onDemandEnvironment]) {
      Validations.of(environment).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
        reason: 'AWS Batch ECS instances need the ECS agent policy AWS maintains for them.',
      });
    }

    this.jobQueue = new batch.JobQueue(this, 'JobQueue', {
      jobQueueName: props.jobQueueName,
      computeEnvironments: [
        { computeEnvironment: this.spotEnvironment, order: 1 },
        // Batch places jobs here only when the first environment is at max or has no capacity.
        { computeEnvironment: this.onDemandEnvironment, order: 2 },
      ],
    });
  }

  private createVpc(buckets: readonly s3.IBucket[]): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        // Only the NAT gateway lives here, on its Elastic IP: nothing needs an automatic one.
        {
          name: 'public',
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: 24,
          mapPublicIpOnLaunch: false,
        },
        { name: 'jobs', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    // ECR image layers and all data are S3 traffic: the gateway endpoint keeps it off the NAT,
    // and its policy keeps it to the pipeline's buckets.
    const endpoint = vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
    });
    for (const statement of s3EndpointPolicy(buckets)) endpoint.addToPolicy(statement);
    for (const subnet of vpc.publicSubnets) {
      Validations.of(subnet).acknowledge({
        id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason:
          'The public subnets hold only the NAT gateway, whose default route is the internet gateway; job instances run in the private subnets, reachable from nowhere.',
      });
    }
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', {
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      ),
      // Accepted traffic too: what a job talked to is the question after an incident.
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    return vpc;
  }
}
