import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/**
 * The job instances' security group: nothing in, HTTPS out. Every service a job or the ECS
 * agent talks to (ECR, ECS, CloudWatch Logs, AWS Batch through the NAT gateway; S3 through the
 * gateway endpoint) is HTTPS on 443. The Amazon DNS resolver, the Time Sync Service and the
 * instance and task metadata endpoints are not filtered by security groups, so they need no rule:
 * Amazon VPC User Guide, "Control traffic to your AWS resources using security groups"
 */
export function jobEgress(scope: Construct, id: string, vpc: ec2.IVpc): ec2.SecurityGroup {
  const group = new ec2.SecurityGroup(scope, id, {
    vpc,
    description: 'GPU job instances: no inbound, HTTPS outbound only',
    allowAllOutbound: false,
  });
  group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and S3');
  return group;
}
