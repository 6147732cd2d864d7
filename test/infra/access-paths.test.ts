import { Template } from 'aws-cdk-lib/assertions';
import type { AccessCall, AccessPrincipal } from '../../lib/contracts/access';
import { EXAMPLE } from '../../lib/contracts/access';
import { modelKeys, resultKeys } from '../../lib/contracts/keys';
import { declaredAccess, sendingModules } from '../../scripts/access/declared-access';
import { AccessRequest, evaluateRequest } from '../helpers/access/evaluate-request';
import { ACCOUNT } from '../helpers/access/resolve-intrinsics';
import {
  PolicyStatement,
  ROLE_PRINCIPALS,
  StackAccessModel,
} from '../helpers/access/stack-access-model';
import { buildStack } from '../helpers/synth-stack';

// The stack with every optional part that adds a grant (the completion topic and its key).
let model: StackAccessModel;
let calls: (AccessCall & { file: string })[];
beforeAll(() => {
  const stack = buildStack({ pipeline: { completionEmail: 'ops@example.com' } });
  model = new StackAccessModel(stack, Template.fromStack(stack).toJSON() as never);
  calls = declaredAccess().flatMap(({ file, calls }) => calls.map((call) => ({ ...call, file })));
});

/** Every (principal, resource) request a declared call makes. */
function requestsOf(call: AccessCall): AccessRequest[] {
  return call.by.flatMap((principal) =>
    call.resources.map((resource) => ({
      principal,
      action: call.action,
      resource: model.arnOf(resource, principal),
      context: model.contextOf(resource, call.context),
    })),
  );
}

/** One line per request, for failure messages. */
const describeDecision = (request: AccessRequest, result: string, detail: string) =>
  `${request.principal} ${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}: ${result} (${detail})`;

async function decisions(requests: readonly AccessRequest[]) {
  const out = [];
  for (const request of requests) out.push({ request, ...(await evaluateRequest(model, request)) });
  return out;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

describe('every call the deployed code makes', () => {
  it('is declared: each SDK command sent under lambda/ and container/src/ has a declaration in its module', () => {
    const declaredBy = new Map<string, Set<string>>();
    for (const call of calls) {
      declaredBy.set(call.file, (declaredBy.get(call.file) ?? new Set()).add(call.sdk));
    }
    const undeclared = sendingModules().flatMap(({ file, commands }) =>
      commands.filter((command) => !declaredBy.get(file)?.has(command)).map((c) => `${file}: ${c}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('declares only commands its module sends', () => {
    const sent = new Map(sendingModules().map(({ file, commands }) => [file, new Set(commands)]));
    const stale = calls
      .filter((call) => /Command$|^Upload$/.test(call.sdk) && !sent.get(call.file)?.has(call.sdk))
      .map((call) => `${call.file}: ${call.sdk}`);
    expect(stale).toEqual([]);
  });

  it('is allowed by identity, resource and endpoint policies', async () => {
    const results = await decisions(calls.flatMap(requestsOf));
    expect(results.length).toBeGreaterThan(50);
    const refused = results
      .filter(({ result }) => result !== 'Allowed')
      .map(({ request, result, detail }) => describeDecision(request, result, detail));
    expect(refused).toEqual([]);
  });
});

describe('every grant', () => {
  /** Whether a declared call of the principal uses this action on this resource pattern. */
  function exercised(principal: AccessPrincipal, action: string, resource: string): boolean {
    return calls.some(
      (call) =>
        call.by.includes(principal) &&
        glob(action).test(call.action) &&
        call.resources.some((r) => glob(resource).test(model.arnOf(r, principal))),
    );
  }

  it.each(ROLE_PRINCIPALS)('of the %s role is exercised by a declared call', (principal) => {
    const statements = model
      .principal(principal)
      .identityPolicies.flatMap((p) => p.policy.Statement);
    const unused = statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) =>
        [s.Action].flat().flatMap((action) =>
          [s.Resource]
            .flat()
            .filter((resource) => !exercised(principal, action, resource))
            .map((resource) => `${action} ${resource}`),
        ),
      );
    expect(unused).toEqual([]);
  });

  it('of the queue policies is exercised by a declared service call', () => {
    const services: Record<string, AccessPrincipal> = {
      's3.amazonaws.com': 's3Notifications',
      'events.amazonaws.com': 'eventBridge',
    };
    const queues = [
      model.concrete(model.stack.ingest.queue.queueArn),
      model.concrete(model.stack.finisher.deadLetterQueue.queueArn),
      model.concrete(model.stack.retrain!.deadLetterQueue.queueArn),
    ];
    const unused = queues.flatMap((queue) =>
      model
        .resourcePolicy(queue)!
        .Statement.filter((s) => s.Effect === 'Allow')
        .flatMap((s: PolicyStatement) => {
          const service = (s.Principal as { Service?: string }).Service!;
          return [s.Action]
            .flat()
            .filter((action) => !exercised(services[service]!, action, queue))
            .map((action) => `${service} ${action} ${queue}`);
        }),
    );
    expect(unused).toEqual([]);
  });

  it("of the S3 endpoint on the pipeline's buckets is exercised by a job", () => {
    const pipeline = model.endpointPolicy().Statement.filter((s) => s.Sid === 'PipelineBuckets');
    expect(pipeline).toHaveLength(1);
    const unused = [pipeline[0]!.Action]
      .flat()
      .filter(
        (action) =>
          !calls.some(
            (c) => (c.by.includes('inferJob') || c.by.includes('trainJob')) && c.action === action,
          ),
      );
    expect(unused).toEqual([]);
  });
});

describe('promised denials', () => {
  const results = () => model.bucketArn('results');
  const models = () => model.bucketArn('models');
  const manifest = () => `${results()}/${resultKeys.manifest(EXAMPLE.batchId)}`;
  const batchJson = () => `${results()}/${resultKeys.batchSummary(EXAMPLE.batchId)}`;
  const versionFile = () =>
    `${models()}/${modelKeys.version(EXAMPLE.modelName, EXAMPLE.version)}model.json`;
  const historyEvent = () =>
    `${models()}/${modelKeys.historyPrefix(EXAMPLE.modelName)}2024-05-01T12:00:00.000Z-promote.json`;
  const champion = () => `${models()}/${modelKeys.champion(EXAMPLE.modelName)}`;
  const ifNoneMatch = { 's3:if-none-match': '*' };

  async function expectDenied(request: AccessRequest) {
    const { result, detail } = await evaluateRequest(model, request);
    expect({ ...request, result, detail }).toEqual({
      ...request,
      result: expect.stringMatching(/Denied$/),
      detail,
    });
  }

  it('the batcher cannot delete a manifest', async () => {
    await expectDenied({ principal: 'batcher', action: 's3:DeleteObject', resource: manifest() });
  });

  it('the batcher cannot submit another revision of the job definition, nor the train one', async () => {
    const deployed = model.concrete(model.stack.jobs.inferJobDefinition.jobDefinitionArn);
    await expectDenied({
      principal: 'batcher',
      action: 'batch:SubmitJob',
      resource: deployed.replace(/:1$/, ':2'),
    });
    await expectDenied({
      principal: 'batcher',
      action: 'batch:SubmitJob',
      resource: model.concrete(model.stack.jobs.trainJobDefinition.jobDefinitionArn),
    });
  });

  it('the batcher cannot tag (SubmitJob with tags needs batch:TagResource)', async () => {
    await expectDenied({
      principal: 'batcher',
      action: 'batch:TagResource',
      resource: `arn:aws:batch:us-east-1:${ACCOUNT}:job/0123abcd-0000-4000-8000-000000000000`,
    });
  });

  it('the inference job cannot write a model version, the champion or batch.json', async () => {
    await expectDenied({
      principal: 'inferJob',
      action: 's3:PutObject',
      resource: versionFile(),
      context: ifNoneMatch,
    });
    await expectDenied({
      principal: 'inferJob',
      action: 's3:PutObject',
      resource: champion(),
      context: { 's3:if-match': '"e"' },
    });
    await expectDenied({
      principal: 'inferJob',
      action: 's3:PutObject',
      resource: batchJson(),
      context: ifNoneMatch,
    });
    await expectDenied({ principal: 'inferJob', action: 's3:PutObject', resource: batchJson() });
  });

  it('the train job cannot rewrite its own training-config.json', async () => {
    const config = `${models()}/${modelKeys.root(EXAMPLE.modelName)}training-config.json`;
    await expectDenied({ principal: 'trainJob', action: 's3:PutObject', resource: config });
    await expectDenied({
      principal: 'trainJob',
      action: 's3:PutObject',
      resource: config,
      context: ifNoneMatch,
    });
  });

  const writers: AccessPrincipal[] = ['operator', 'batcher', 'finisher', 'inferJob', 'trainJob'];
  it.each(writers)(
    '%s (an administrator included) cannot overwrite a write-once key without the conditional header',
    async (principal) => {
      for (const resource of [manifest(), batchJson(), versionFile(), historyEvent()]) {
        await expectDenied({ principal, action: 's3:PutObject', resource });
        await expectDenied({ principal, action: 's3:DeleteObject', resource });
      }
      await expectDenied({ principal, action: 's3:PutObject', resource: champion() });
    },
  );

  it('the ingest queue takes messages only from the input bucket of this account', async () => {
    const queue = model.concrete(model.stack.ingest.queue.queueArn);
    const send = (context: Record<string, string>) => ({
      principal: 's3Notifications' as const,
      action: 'sqs:SendMessage',
      resource: queue,
      context,
    });
    await expectDenied(send({ 'aws:SourceArn': 'arn:aws:s3:::another-bucket' }));
    await expectDenied(send({ 'aws:SourceAccount': '999988887777' }));
  });
});
