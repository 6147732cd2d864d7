/**
 * Which AWS services the emulator behind AWS_ENDPOINT_URL can provide, so a test suite or the
 * emulator deploy that needs one it lacks can say so instead of failing on the first request.
 * Pure: detection (HTTP) is in ./detect-emulator.ts.
 */

/**
 * The services this project touches, named as LocalStack's /_localstack/health names them
 * (events is EventBridge). A CloudFormation type's service is its second segment, lower-cased.
 */
export const AWS_SERVICES = [
  'athena',
  'batch',
  'cloudformation',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecr',
  'events',
  'glue',
  'iam',
  'kms',
  'lambda',
  'logs',
  's3',
  'sns',
  'sqs',
  'ssm',
  'sts',
] as const;

export type AwsService = (typeof AWS_SERVICES)[number];

export type EmulatorKind = 'moto' | 'localstack';

export interface EmulatorCapabilities {
  readonly kind: EmulatorKind;
  /** LocalStack reports its version; a moto server does not. */
  readonly version?: string;
  readonly services: readonly AwsService[];
}

/**
 * moto server serves every service it implements from one endpoint, all of these included
 * (moto's documentation, "Server mode"). Lambda functions and Batch jobs
 * are created but not run without Docker; the project's local batcher and executor run them.
 */
export const MOTO_SERVICES: readonly AwsService[] = AWS_SERVICES;

/** Environment variable through which the test workers learn the detected capabilities. */
export const CAPABILITIES_ENV = 'GBI_EMULATOR_CAPABILITIES';

/**
 * Services the emulator lists as available but cannot provide where it runs, comma-separated.
 * LocalStack in host mode (no Docker) lists lambda, yet every function it creates fails to
 * become Active; `npm run test:localstack` sets this to `lambda`.
 */
export const LACKS_ENV = 'GBI_EMULATOR_LACKS';

function isAwsService(name: string): name is AwsService {
  return (AWS_SERVICES as readonly string[]).includes(name);
}

/** The services of a comma-separated list; an unknown name is an error naming it. */
export function parseServiceList(text: string | undefined, field: string): AwsService[] {
  const names = (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isAwsService(name));
  if (unknown.length > 0) {
    throw new Error(
      `${field}: unknown service ${unknown.join(', ')} (known: ${AWS_SERVICES.join(', ')})`,
    );
  }
  return names as AwsService[];
}

/**
 * LocalStack's health document: `{"services": {"s3": "available", "dynamodb": "disabled", ...},
 * "version": "4.14.0"}`. A service counts when it is `available` (loads on first request) or
 * `running`; `disabled` (not in SERVICES), `error` and absent (a paid-plan service such as
 * batch or ecr) do not.
 */
export function parseLocalStackHealth(document: unknown): EmulatorCapabilities {
  const health = document as { services?: unknown; version?: unknown };
  if (typeof health?.services !== 'object' || health.services === null) {
    throw new Error('LocalStack health: no "services" object');
  }
  const services = Object.entries(health.services as Record<string, unknown>)
    .filter(([, state]) => state === 'available' || state === 'running')
    .map(([name]) => name)
    .filter(isAwsService)
    .sort();
  return {
    kind: 'localstack',
    ...(typeof health.version === 'string' ? { version: health.version } : {}),
    services,
  };
}

/** The capabilities without the services the emulator cannot provide where it runs. */
export function withoutServices(
  capabilities: EmulatorCapabilities,
  lacking: readonly AwsService[],
): EmulatorCapabilities {
  return {
    ...capabilities,
    services: capabilities.services.filter((service) => !lacking.includes(service)),
  };
}

/** The services of `needed` the emulator does not provide, in the order given. */
export function missingServices(
  needed: readonly AwsService[],
  capabilities: EmulatorCapabilities,
): AwsService[] {
  return needed.filter((service) => !capabilities.services.includes(service));
}

/** "LocalStack 4.14.0" or "moto", for messages. */
export function emulatorLabel(capabilities: EmulatorCapabilities): string {
  const name = capabilities.kind === 'localstack' ? 'LocalStack' : 'moto';
  return capabilities.version ? `${name} ${capabilities.version}` : name;
}

export function serializeCapabilities(capabilities: EmulatorCapabilities): string {
  return JSON.stringify(capabilities);
}

/** Reads what the integration project's global setup detected; an absent value is an error. */
export function capabilitiesFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorCapabilities {
  const text = env[CAPABILITIES_ENV];
  if (!text) {
    throw new Error(
      `${CAPABILITIES_ENV}: not set; the integration project's global setup (test/helpers/emulator-global-setup.ts) detects the emulator`,
    );
  }
  const parsed = JSON.parse(text) as Partial<EmulatorCapabilities>;
  if (parsed.kind !== 'moto' && parsed.kind !== 'localstack') {
    throw new Error(`${CAPABILITIES_ENV}: kind '${String(parsed.kind)}' is not moto or localstack`);
  }
  return {
    kind: parsed.kind,
    ...(parsed.version ? { version: parsed.version } : {}),
    services: parseServiceList((parsed.services ?? []).join(','), `${CAPABILITIES_ENV}.services`),
  };
}
