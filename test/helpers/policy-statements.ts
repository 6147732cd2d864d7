import { Match, Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the identity policies attached to roles whose logical id starts so. */
export function roleStatements(template: Template, roleLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${roleLogicalIdPrefix}`) }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

/** Every statement of every identity policy in the template, with the policy's logical id. */
export function identityStatements(template: Template): { policy: string; statement: Statement }[] {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policy, resource]) =>
    (resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
      policy,
      statement,
    })),
  );
}

/** The actions of a statement as a list. */
export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
