import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { buildStack } from '../helpers/synth-stack';

/** cdk-nag acknowledgements recorded on `node` itself, as `Annotation::<rule id>` -> reason. */
function nagAcknowledgements(node: IConstruct): Record<string, string> {
  return Object.fromEntries(
    node.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .filter(([id]) => /^Annotation::(AwsSolutions|NIST\.800\.53\.R5)-/.test(id)),
  );
}

describe('cdk-nag AwsSolutions and NIST 800-53 rev 5', () => {
  it('reports no unacknowledged finding of either pack on the pipeline stack', () => {
    // given the real app with both packs
    const stack = buildStack({ bundle: true });

    // when synthesized / then validation passes (a finding would throw with its report)
    expect(() => (stack.node.root as App).synth()).not.toThrow();
  });

  it('acknowledges nothing on the stack or the app, only on the resources each reason is about', () => {
    // given the pipeline stack
    const stack = buildStack();

    // then neither root carries an acknowledgement that would cover every resource below it
    expect(nagAcknowledgements(stack)).toEqual({});
    expect(nagAcknowledgements(stack.node.root)).toEqual({});
  });

  it("acknowledges the basic execution policy only on CDK's deploy-time handlers, the only roles that have it", () => {
    // given every role of the stack with the AWS-managed basic execution policy
    const stack = buildStack();
    const resources = Template.fromStack(stack).toJSON().Resources;
    const withBasicPolicy = stack.node
      .findAll()
      .filter(
        (node): node is CfnResource =>
          CfnResource.isCfnResource(node) &&
          node.cfnResourceType === 'AWS::IAM::Role' &&
          JSON.stringify(
            resources[stack.getLogicalId(node)].Properties.ManagedPolicyArns ?? [],
          ).includes('AWSLambdaBasicExecutionRole'),
      )
      .map((role) => role.node.path);
    const acknowledged = stack.node
      .findAll()
      .filter((node) =>
        Object.keys(nagAcknowledgements(node)).some((id) =>
          id.includes('AWSLambdaBasicExecutionRole'),
        ),
      )
      .map((node) => node.node.path);

    // then the batcher is not among them, and each acknowledgement sits on a CDK handler
    expect(withBasicPolicy.length).toBeGreaterThan(0);
    expect(withBasicPolicy.filter((path) => path.includes('/Batcher/'))).toEqual([]);
    for (const path of withBasicPolicy) {
      expect(acknowledged.some((handler) => path.startsWith(`${handler}/`))).toBe(true);
    }
    for (const handler of acknowledged) {
      expect(handler).toMatch(
        /^GpuBatchInference\/(BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287|EventsLogGroupPolicy|Custom::VpcRestrictDefaultSGCustomResourceProvider)/,
      );
    }
  });

  it('still fails synthesis for a wildcard nobody justified', () => {
    // given a stack with an account-wide S3 grant and the same pack
    const app = new App();
    const stack = new Stack(app, 'Unjustified');
    new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }),
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // when synthesized / then the finding is reported by id
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('still fails synthesis for a NIST finding on a resource nobody acknowledged', () => {
    // given a log group without retention, which the NIST pack reports
    const app = new App();
    const stack = new Stack(app, 'Unacknowledged');
    new logs.CfnLogGroup(stack, 'Logs', {});
    Validations.of(app).addPlugins(new NIST80053R5Checks(app));

    // when synthesized / then the finding is reported by id
    expect(() => app.synth()).toThrow(/NIST\.800\.53\.R5-CloudWatchLogGroupRetentionPeriod/);
  });
});
