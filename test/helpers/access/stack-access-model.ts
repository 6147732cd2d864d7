import { CfnElement, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { AccessPrincipal, AccessResource, StackResource } from '../../../lib/contracts/access';
import type { BatchInferenceStack } from '../../../lib/stacks/batch-inference-stack';
import { ACCOUNT, CfnResources, IntrinsicResolver } from './resolve-intrinsics';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Who a declared principal is in the deployed stack, and which policies decide for it. */
export interface PrincipalModel {
  /** Role ARN, or the service principal's name. */
  readonly arn: string;
  readonly identityPolicies: readonly { name: string; policy: PolicyDocument }[];
  /** Its S3 requests pass the S3 gateway endpoint (the Batch jobs, in the stack's VPC). */
  readonly throughEndpoint: boolean;
  /** aws:SourceArn of a service's request to the given resource ARN. */
  readonly sourceArn?: (resourceArn: string) => string;
  /** The role's logical id, for its log group and for docs. */
  readonly roleLogicalId?: string;
}

/** Role principals of the stack whose grants must each be exercised by a declared call. */
export const ROLE_PRINCIPALS = [
  'batcher',
  'finisher',
  'inferJob',
  'trainJob',
  'retrainSchedule',
] as const satisfies readonly AccessPrincipal[];

const ADMIN: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/**
 * The synthesized stack as an IAM evaluator needs it: concrete ARNs of the declared resources,
 * each principal's identity policies, the resource policies (bucket, queue, topic, key) and the
 * S3 gateway endpoint's policy, all with intrinsics resolved.
 */
export class StackAccessModel {
  readonly resolver: IntrinsicResolver;
  readonly resources: CfnResources;

  constructor(
    readonly stack: BatchInferenceStack,
    template: { Resources: CfnResources },
  ) {
    this.resources = template.Resources;
    this.resolver = new IntrinsicResolver(this.resources);
  }

  /** A CDK token (bucketArn, queueArn, ...) as the concrete value it deploys as. */
  concrete(token: string): string {
    return this.resolver.string(Stack.of(this.stack).resolve(token));
  }

  logicalId(element: { node: { defaultChild?: unknown } }): string {
    return this.stack.getLogicalId(element.node.defaultChild as CfnElement);
  }

  private roleLogicalIdOfArn(token: string): string {
    const resolved = Stack.of(this.stack).resolve(token) as { 'Fn::GetAtt': [string, string] };
    return resolved['Fn::GetAtt'][0];
  }

  /** The input prefix the stack was configured with (keys of `input` are relative to it). */
  get inputPrefix(): string {
    const statement = this.identityStatements(
      this.roleLogicalIdOfArn(this.stack.jobs.inferRole.roleArn),
    ).find(
      (s) =>
        [s.Action].flat().includes('s3:ListBucket') &&
        JSON.stringify(s.Resource).includes(this.bucketArn('input')),
    );
    const prefixes = statement?.Condition?.StringLike?.['s3:prefix'] as string[] | undefined;
    return prefixes?.[0]?.replace(/\*$/, '') ?? '';
  }

  bucketArn(bucket: 'input' | 'results' | 'models'): string {
    const { storage } = this.stack;
    const of = {
      input: storage.inputBucket,
      results: storage.resultsBucket,
      models: storage.modelBucket,
    };
    return this.concrete(of[bucket].bucketArn);
  }

  private stackResourceArn(name: StackResource['arn'], principal: AccessPrincipal): string {
    const { stack } = this;
    const required = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`${what}: not in this stack (set its option)`);
      return value;
    };
    switch (name) {
      case 'bufferTable':
        return this.concrete(stack.batcher.bufferTable.tableArn);
      case 'ingestQueue':
        return this.concrete(stack.ingest.queue.queueArn);
      case 'jobQueue':
        return this.concrete(stack.compute.jobQueue.jobQueueArn);
      case 'inferJobDefinition':
        return this.concrete(stack.jobs.inferJobDefinition.jobDefinitionArn);
      case 'trainJobDefinition':
        return this.concrete(stack.jobs.trainJobDefinition.jobDefinitionArn);
      case 'completionBus':
        return this.concrete(stack.finisher.eventBus.eventBusArn);
      case 'completionTopic':
        return this.concrete(required(stack.finisher.topic, 'completionTopic').topicArn);
      case 'completionTopicKey':
        return this.concrete(required(stack.finisher.topicKey, 'completionTopicKey').keyArn);
      case 'finisherDeadLetterQueue':
        return this.concrete(stack.finisher.deadLetterQueue.queueArn);
      case 'retrainDeadLetterQueue':
        return this.concrete(required(stack.retrain, 'retrainSchedule').deadLetterQueue.queueArn);
      case 'ownLogGroup': {
        const owner = { batcher: stack.batcher, finisher: stack.finisher }[principal as string];
        const group = required(owner, `ownLogGroup of ${principal}`).node.findChild(
          'Logs',
        ) as logs.LogGroup;
        return this.concrete(group.logGroupArn).replace(/:\*$/, '');
      }
    }
  }

  /** The ARN a declared resource has for the given principal. */
  arnOf(resource: AccessResource, principal: AccessPrincipal): string {
    if (resource === '*') return '*';
    if ('s3' in resource) {
      const bucket = this.bucketArn(resource.s3);
      if (resource.key === undefined) return bucket;
      return `${bucket}/${resource.s3 === 'input' ? this.inputPrefix : ''}${resource.key}`;
    }
    const base = this.stackResourceArn(resource.arn, principal);
    if (resource.suffix === undefined) return base;
    return `${base}${resource.arn === 'ownLogGroup' ? ':' : '/'}${resource.suffix}`;
  }

  /** A call's context as sent: an input-bucket s3:prefix starts with the input prefix. */
  contextOf(resource: AccessResource, context: Readonly<Record<string, string>> | undefined) {
    if (
      !context?.['s3:prefix'] ||
      resource === '*' ||
      !('s3' in resource) ||
      resource.s3 !== 'input'
    ) {
      return context;
    }
    return { ...context, 's3:prefix': `${this.inputPrefix}${context['s3:prefix']}` };
  }

  identityStatements(roleLogicalId: string): PolicyStatement[] {
    return this.identityPolicies(roleLogicalId).flatMap((p) => p.policy.Statement);
  }

  identityPolicies(roleLogicalId: string): { name: string; policy: PolicyDocument }[] {
    const role = this.resources[roleLogicalId]!;
    if (role.Properties?.ManagedPolicyArns) {
      throw new Error(`${roleLogicalId}: managed policies cannot be evaluated offline`);
    }
    const inline = (
      (role.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]
    ).map((p) => ({
      name: p.PolicyName,
      policy: this.resolver.value(p.PolicyDocument) as PolicyDocument,
    }));
    const attached = Object.entries(this.resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::IAM::Policy' &&
          ((r.Properties?.Roles ?? []) as { Ref?: string }[]).some(
            (ref) => ref.Ref === roleLogicalId,
          ),
      )
      .map(([name, r]) => ({
        name,
        policy: this.resolver.value(r.Properties!.PolicyDocument) as PolicyDocument,
      }));
    return [...inline, ...attached];
  }

  private retrainRoleLogicalId(): string {
    const rule = this.resources[this.logicalId(this.stack.retrain!.rule)]!;
    const [target] = rule.Properties!.Targets as { RoleArn: { 'Fn::GetAtt': [string, string] } }[];
    return target!.RoleArn['Fn::GetAtt'][0];
  }

  principal(name: AccessPrincipal): PrincipalModel {
    const role = (roleLogicalId: string, throughEndpoint = false): PrincipalModel => ({
      arn: this.resolver.getAtt(roleLogicalId, 'Arn'),
      identityPolicies: this.identityPolicies(roleLogicalId),
      throughEndpoint,
      roleLogicalId,
    });
    const { stack } = this;
    switch (name) {
      case 'batcher':
        return role(this.roleLogicalIdOfArn(stack.batcher.role.roleArn));
      case 'finisher':
        return role(this.roleLogicalIdOfArn(stack.finisher.role.roleArn));
      case 'inferJob':
        return role(this.roleLogicalIdOfArn(stack.jobs.inferRole.roleArn), true);
      case 'trainJob':
        return role(this.roleLogicalIdOfArn(stack.jobs.trainRole.roleArn), true);
      case 'retrainSchedule':
        return role(this.retrainRoleLogicalId());
      case 'operator':
        return {
          arn: `arn:aws:iam::${ACCOUNT}:role/Administrator`,
          identityPolicies: [{ name: 'AdministratorAccess', policy: ADMIN }],
          throughEndpoint: false,
        };
      case 's3Notifications':
        return {
          arn: 's3.amazonaws.com',
          identityPolicies: [],
          throughEndpoint: false,
          sourceArn: () => this.bucketArn('input'),
        };
      case 'eventBridge':
        return {
          arn: 'events.amazonaws.com',
          identityPolicies: [],
          throughEndpoint: false,
          // The rule whose dead-letter queue it is.
          sourceArn: (queueArn) =>
            queueArn === this.concrete(stack.finisher.deadLetterQueue.queueArn)
              ? this.concrete(stack.finisher.rule.ruleArn)
              : this.concrete(stack.retrain!.rule.ruleArn),
        };
    }
  }

  /** The resource policy that governs a resource ARN, if it has one. */
  resourcePolicy(resourceArn: string): PolicyDocument | undefined {
    for (const [id, resource] of Object.entries(this.resources)) {
      const props = resource.Properties ?? {};
      const governs = (targets: unknown[], arnOf: (logicalId: string) => string) =>
        targets.some((t) => {
          const ref = (t as { Ref?: string }).Ref;
          if (!ref) return false;
          const arn = arnOf(ref);
          return resourceArn === arn || resourceArn.startsWith(`${arn}/`);
        });
      const policy = (document: unknown) => this.resolver.value(document) as PolicyDocument;
      if (
        resource.Type === 'AWS::S3::BucketPolicy' &&
        governs([props.Bucket], (b) => this.resolver.getAtt(b, 'Arn'))
      ) {
        return policy(props.PolicyDocument);
      }
      if (
        resource.Type === 'AWS::SQS::QueuePolicy' &&
        governs(props.Queues as unknown[], (q) => this.resolver.getAtt(q, 'Arn'))
      ) {
        return policy(props.PolicyDocument);
      }
      if (
        resource.Type === 'AWS::SNS::TopicPolicy' &&
        governs(props.Topics as unknown[], (t) => this.resolver.ref(t))
      ) {
        return policy(props.PolicyDocument);
      }
      if (resource.Type === 'AWS::KMS::Key' && resourceArn === this.resolver.getAtt(id, 'Arn')) {
        return policy(props.KeyPolicy);
      }
    }
    return undefined;
  }

  /** The S3 gateway endpoint's policy the jobs' subnets route through. */
  endpointPolicy(): PolicyDocument {
    const endpoints = Object.values(this.resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::VPCEndpoint' &&
        JSON.stringify(r.Properties?.ServiceName).includes('.s3'),
    );
    if (endpoints.length !== 1)
      throw new Error(`expected one S3 gateway endpoint, found ${endpoints.length}`);
    const document = this.resolver.value(
      endpoints[0]!.Properties!.PolicyDocument,
    ) as PolicyDocument;
    // CDK writes AnyPrincipal as {"AWS": "*"}; an endpoint policy means the same by "*", the
    // only form the evaluator takes there.
    return {
      ...document,
      Statement: document.Statement.map((s) =>
        JSON.stringify(s.Principal) === '{"AWS":"*"}' ? { ...s, Principal: '*' } : s,
      ),
    };
  }
}
