/**
 * Turns the synthesized CloudFormation template into one the emulator's CloudFormation can
 * create, changing only what it cannot run. Every change is listed in docs/testing.md
 * ("What the local stack replaces") and returned as a `Replacement` so the demo can print it.
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

export interface Replacement {
  readonly logicalId: string;
  readonly type: string;
  readonly change: string;
}

/** A custom resource lifted out of the template, its properties awaiting resolution. */
export interface LiftedCustomResource {
  readonly logicalId: string;
  readonly type: string;
  /** Properties with every intrinsic replaced by an OutputPlaceholder. */
  readonly properties: unknown;
}

/** Where an intrinsic (Ref, Fn::GetAtt...) stood: its value comes back as this stack output. */
export interface OutputPlaceholder {
  readonly emulatorOutput: string;
}

export interface EmulatorTemplate {
  readonly template: CfnTemplate;
  readonly customResources: readonly LiftedCustomResource[];
  readonly replacements: readonly Replacement[];
}

/** Prefix of the outputs that carry custom-resource property values back out of the stack. */
export const RESOLVED_OUTPUT_PREFIX = 'EmulatorResolved';

/**
 * moto's Batch resources implement Ref (the ARN, as in CloudFormation) but not these GetAtt
 * attributes, whose value CloudFormation documents as the same ARN.
 */
const GETATT_AS_REF = new Set(['ComputeEnvironmentArn', 'JobQueueArn']);

/**
 * The target types moto's EventBridge delivers to. Any other target of a matching rule makes it
 * fail the whole PutEvents call, and it matches a rule without a pattern (a schedule) to every
 * event, so one Lambda or Batch target would break every PutEvents on the bus.
 */
const DELIVERABLE_TARGET_TYPES = new Set([
  'AWS::SQS::Queue',
  'AWS::Logs::LogGroup',
  'AWS::Events::EventBus',
]);
const EVENT_TARGET_REASON =
  'the emulator cannot deliver to a Lambda or Batch target and fails every PutEvents a rule with one matches; the local runtime plays them';

/** Whether a rule target's Arn names a resource of the template moto can deliver to. */
function deliverable(arn: unknown, resources: CfnTemplate['Resources']): boolean {
  const node = arn as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
  const target = node?.Ref ?? node?.['Fn::GetAtt']?.[0];
  if (target === undefined || !(target in resources)) return true;
  return DELIVERABLE_TARGET_TYPES.has(resources[target].Type);
}

function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function mapTree(value: unknown, visit: (node: unknown) => unknown | undefined): unknown {
  const replaced = visit(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((item) => mapTree(item, visit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapTree(item, visit)]),
    );
  }
  return value;
}

export function prepareEmulatorTemplate(
  original: CfnTemplate,
  options: {
    readonly batchServiceRoleArn: string;
    /** Custom resource types applied locally, whose intrinsic property values are needed. */
    readonly resolveTypes: readonly string[];
  },
): EmulatorTemplate {
  const replacements: Replacement[] = [];
  const customResources: LiftedCustomResource[] = [];
  const template = JSON.parse(JSON.stringify(original)) as CfnTemplate;
  const outputs: Record<string, { Value: unknown; Description: string }> = {};

  const lifted = Object.entries(template.Resources).filter(([, r]) =>
    r.Type.startsWith('Custom::'),
  );
  for (const [logicalId, resource] of lifted) {
    delete template.Resources[logicalId];
    // ServiceToken names the provider Lambda, which nothing invokes locally.
    const rest = Object.fromEntries(
      Object.entries(resource.Properties ?? {}).filter(([key]) => key !== 'ServiceToken'),
    );
    const properties = options.resolveTypes.includes(resource.Type)
      ? mapTree(rest, (node) => {
          if (!isIntrinsic(node)) return undefined;
          const name = `${RESOLVED_OUTPUT_PREFIX}${Object.keys(outputs).length}`;
          outputs[name] = {
            Value: node,
            Description: `value of a property of ${logicalId}, applied without its custom resource`,
          };
          return { emulatorOutput: name } satisfies OutputPlaceholder;
        })
      : rest;
    customResources.push({ logicalId, type: resource.Type, properties });
    replacements.push({
      logicalId,
      type: resource.Type,
      change: 'custom resource removed: its Lambda provider cannot run in the emulator',
    });
  }
  const removed = new Set(lifted.map(([logicalId]) => logicalId));

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.DependsOn !== undefined) {
      const dependsOn = [resource.DependsOn].flat().filter((id) => !removed.has(id));
      resource.DependsOn = dependsOn;
    }
    if (resource.Type === 'AWS::Batch::ComputeEnvironment' && resource.Properties) {
      const properties = resource.Properties;
      const type = String(properties.Type);
      if (type !== type.toUpperCase()) {
        properties.Type = type.toUpperCase();
        replacements.push({
          logicalId,
          type: resource.Type,
          change: `Type '${type}' written '${type.toUpperCase()}' (moto accepts upper case only)`,
        });
      }
      if (properties.ServiceRole === undefined) {
        properties.ServiceRole = options.batchServiceRoleArn;
        replacements.push({
          logicalId,
          type: resource.Type,
          change:
            'ServiceRole set to the Batch service-linked role, which AWS uses implicitly and moto requires',
        });
      }
    }
  }

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule' || !Array.isArray(resource.Properties?.Targets)) {
      continue;
    }
    const targets = resource.Properties.Targets as { Id: string; Arn: unknown }[];
    const kept = targets.filter((target) => deliverable(target.Arn, template.Resources));
    if (kept.length === targets.length) continue;
    resource.Properties.Targets = kept;
    replacements.push({
      logicalId,
      type: resource.Type,
      change: `targets ${targets
        .filter((target) => !kept.includes(target))
        .map((target) => target.Id)
        .join(', ')} removed (${EVENT_TARGET_REASON})`,
    });
  }

  const getAttAsRef = (node: unknown) => {
    if (!isIntrinsic(node) || !('Fn::GetAtt' in node)) return undefined;
    const [target, attribute] = node['Fn::GetAtt'] as [string, string];
    return GETATT_AS_REF.has(attribute) ? { Ref: target } : undefined;
  };
  const before = JSON.stringify([template.Resources, template.Outputs]);
  template.Resources = mapTree(template.Resources, getAttAsRef) as CfnTemplate['Resources'];
  if (template.Outputs) {
    template.Outputs = mapTree(template.Outputs, getAttAsRef) as CfnTemplate['Outputs'];
  }
  if (JSON.stringify([template.Resources, template.Outputs]) !== before) {
    replacements.push({
      logicalId: '*',
      type: 'AWS::Batch::*',
      change: `Fn::GetAtt ${[...GETATT_AS_REF].join('/')} written as Ref (same ARN; moto lacks the attributes)`,
    });
  }

  const referenced = JSON.stringify({ r: template.Resources, o: template.Outputs });
  for (const logicalId of removed) {
    if (referenced.includes(`"${logicalId}"`)) {
      throw new Error(
        `template: ${logicalId} (a custom resource) is referenced by another resource or output; the emulator deploy cannot remove it`,
      );
    }
  }
  template.Outputs = { ...template.Outputs, ...outputs };
  return { template, customResources, replacements };
}

/** Puts the stack's output values where the placeholders stand. */
export function resolvePlaceholders(
  value: unknown,
  outputs: Readonly<Record<string, string>>,
): unknown {
  return mapTree(value, (node) => {
    if (typeof node !== 'object' || node === null || !('emulatorOutput' in node)) return undefined;
    const name = (node as OutputPlaceholder).emulatorOutput;
    const resolved = outputs[name];
    if (resolved === undefined) throw new Error(`stack output ${name}: missing after deploy`);
    return resolved;
  });
}
