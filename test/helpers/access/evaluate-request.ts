import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { AccessPrincipal } from '../../../lib/contracts/access';
import { ACCOUNT } from './resolve-intrinsics';
import type { StackAccessModel } from './stack-access-model';

export interface AccessRequest {
  readonly principal: AccessPrincipal;
  readonly action: string;
  /** A concrete ARN (StackAccessModel.arnOf). */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export interface AccessDecision {
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Error';
  /** Which policy kinds did not allow it, for the failure message. */
  readonly detail: string;
}

/**
 * The context AWS adds to every request of this stack: TLS (the buckets and queues deny
 * plain HTTP), a single PutObject's s3:ObjectCreationOperation, and a service's source.
 */
function requestContext(model: StackAccessModel, request: AccessRequest): Record<string, string> {
  const principal = model.principal(request.principal);
  return {
    'aws:SecureTransport': 'true',
    ...(request.action === 's3:PutObject' ? { 's3:ObjectCreationOperation': 'true' } : {}),
    ...(principal.sourceArn
      ? { 'aws:SourceArn': principal.sourceArn(request.resource), 'aws:SourceAccount': ACCOUNT }
      : {}),
    ...request.context,
  };
}

/**
 * Evaluates one request as AWS would: the principal's identity policies, the resource's policy,
 * and, for a job's S3 request, the gateway endpoint's policy (iam-simulate, strict mode).
 */
export async function evaluateRequest(
  model: StackAccessModel,
  request: AccessRequest,
): Promise<AccessDecision> {
  const principal = model.principal(request.principal);
  const throughEndpoint = principal.throughEndpoint && request.action.startsWith('s3:');
  const response = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: requestContext(model, request),
      },
      identityPolicies: [...principal.identityPolicies],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: model.resourcePolicy(request.resource),
      vpcEndpointPolicies: throughEndpoint
        ? [{ name: 'S3GatewayEndpoint', policy: model.endpointPolicy() }]
        : undefined,
    },
    {},
  );
  if (response.resultType === 'error') {
    return { result: 'Error', detail: JSON.stringify(response.errors) };
  }
  if (response.resultType !== 'single') {
    return { result: 'Error', detail: `unexpected ${response.resultType} result` };
  }
  const analysis = response.result.analysis;
  const parts = {
    identity: analysis?.identityAnalysis?.result,
    resource: analysis?.resourceAnalysis?.result,
    endpoint: analysis?.endpointAnalysis?.result,
  };
  return {
    result: response.overallResult as AccessDecision['result'],
    detail: Object.entries(parts)
      .filter(([, value]) => value !== undefined)
      .map(([kind, value]) => `${kind}: ${value}`)
      .join(', '),
  };
}
