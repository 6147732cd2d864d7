import { Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

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

  constructor(scope: Construct, id: string, props: GpuComputeProps = {}) {
    super(scope, id);
    this.vpc = props.vpc ?? this.createVpc();
    const instanceTypes = (props.instanceTypes ?? ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge']).map(
      (name) => new ec2.InstanceType(name),
    );
    const common = {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
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

  private createVpc(): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'jobs', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      // ECR image layers and all data are S3 traffic: the gateway endpoint keeps it off the NAT.
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    return vpc;
  }
}
