import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack } from '../helpers/synth-stack';

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding on the pipeline stack', () => {
    // given the real app with the AwsSolutions pack
    const stack = buildStack({ bundle: true });

    // when synthesized / then validation passes (a finding would throw with its report)
    expect(() => (stack.node.root as App).synth()).not.toThrow();
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
});
