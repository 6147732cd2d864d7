/**
 * Which resources of a template the emulator cannot create because it lacks their service, so
 * the emulator deploy stops before creating anything and names them, instead of leaving a
 * half-created stack behind the first failure. Pure.
 */
import {
  AWS_SERVICES,
  AwsService,
  EmulatorCapabilities,
  emulatorLabel,
} from '../emulator/emulator-capabilities';
import type { CfnTemplate } from './emulator-template';

/** Types that create nothing in a service: the CDK's metadata and (lifted) custom resources. */
function createsNothing(type: string): boolean {
  return type === 'AWS::CDK::Metadata' || type.startsWith('Custom::');
}

/**
 * The service of a CloudFormation resource type: `AWS::Batch::JobQueue` is batch. A service
 * this project does not know yet is an error, so adding one to the stack means declaring it.
 */
export function serviceOfResourceType(type: string): AwsService | undefined {
  if (createsNothing(type)) return undefined;
  const [vendor, service] = type.split('::');
  const name = service?.toLowerCase();
  if (vendor !== 'AWS' || !(AWS_SERVICES as readonly string[]).includes(name)) {
    throw new Error(
      `resource type ${type}: its service is not among ${AWS_SERVICES.join(', ')} (scripts/local/emulator/emulator-capabilities.ts)`,
    );
  }
  return name as AwsService;
}

/** Every service the template's resources are created in, sorted. */
export function templateServices(template: CfnTemplate): AwsService[] {
  const services = Object.values(template.Resources)
    .map((resource) => serviceOfResourceType(resource.Type))
    .filter((service): service is AwsService => service !== undefined);
  return [...new Set(services)].sort();
}

export interface UnsupportedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly service: AwsService;
}

export function unsupportedResources(
  template: CfnTemplate,
  capabilities: EmulatorCapabilities,
): UnsupportedResource[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const service = serviceOfResourceType(resource.Type);
    return service && !capabilities.services.includes(service)
      ? [{ logicalId, type: resource.Type, service }]
      : [];
  });
}

/** One line per missing service, naming each resource that needs it. */
export function describeUnsupported(
  resources: readonly UnsupportedResource[],
  capabilities: EmulatorCapabilities,
): string {
  const byService = new Map<AwsService, UnsupportedResource[]>();
  for (const resource of resources) {
    byService.set(resource.service, [...(byService.get(resource.service) ?? []), resource]);
  }
  const lines = [...byService.entries()].map(
    ([service, list]) =>
      `  ${service}: ${list.map((r) => `${r.logicalId} (${r.type})`).join(', ')}`,
  );
  return [
    `${emulatorLabel(capabilities)} lacks ${[...byService.keys()].join(', ')}, so it cannot create ${resources.length} resources of the template (see docs/localstack.md):`,
    ...lines,
  ].join('\n');
}
