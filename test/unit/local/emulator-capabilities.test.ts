import {
  CAPABILITIES_ENV,
  capabilitiesFromEnv,
  emulatorLabel,
  MOTO_SERVICES,
  missingServices,
  parseLocalStackHealth,
  parseServiceList,
  serializeCapabilities,
  withoutServices,
} from '../../../scripts/local/emulator/emulator-capabilities';

/** What LocalStack 4.14.0 answered on /_localstack/health, started by npm run test:localstack. */
const HEALTH_4_14 = {
  services: {
    acm: 'disabled',
    cloudformation: 'available',
    cloudwatch: 'running',
    dynamodb: 'disabled',
    ec2: 'available',
    events: 'available',
    iam: 'available',
    kinesis: 'disabled',
    kms: 'available',
    lambda: 'available',
    logs: 'available',
    s3: 'running',
    secretsmanager: 'available',
    sns: 'available',
    sqs: 'running',
    ssm: 'available',
    stepfunctions: 'disabled',
    sts: 'available',
  },
  edition: 'unknown',
  version: '4.14.0',
};

describe('emulator capabilities', () => {
  it('counts the available and running services of LocalStack health, not the disabled or absent ones', () => {
    // given LocalStack's health with dynamodb disabled and no batch (a paid-plan service)
    // when it is parsed
    const capabilities = parseLocalStackHealth(HEALTH_4_14);

    // then the known services it offers are listed, with the version
    expect(capabilities).toEqual({
      kind: 'localstack',
      version: '4.14.0',
      services: [
        'cloudformation',
        'cloudwatch',
        'ec2',
        'events',
        'iam',
        'kms',
        'lambda',
        'logs',
        's3',
        'sns',
        'sqs',
        'ssm',
        'sts',
      ],
    });
    expect(missingServices(['s3', 'dynamodb', 'batch'], capabilities)).toEqual([
      'dynamodb',
      'batch',
    ]);
  });

  it('refuses a health document without services', () => {
    // given a body that is not LocalStack's health
    // when it is parsed, then the error names what is missing
    expect(() => parseLocalStackHealth({ status: 'ok' })).toThrow(/no "services" object/);
  });

  it('takes out the services the emulator cannot provide where it runs', () => {
    // given LocalStack listing lambda, run without Docker
    const capabilities = withoutServices(parseLocalStackHealth(HEALTH_4_14), ['lambda']);

    // then lambda counts as missing
    expect(missingServices(['lambda', 's3'], capabilities)).toEqual(['lambda']);
  });

  it('has moto provide every service the project uses', () => {
    // given moto's capabilities
    // then no service the stack needs is missing
    expect(
      missingServices(['batch', 'dynamodb', 'lambda', 's3'], {
        kind: 'moto',
        services: MOTO_SERVICES,
      }),
    ).toEqual([]);
  });

  it('names an unknown service in a service list', () => {
    // given a list with a typo
    // when it is parsed, then the error names the field and the name
    expect(() => parseServiceList('s3, lamda', 'GBI_EMULATOR_LACKS')).toThrow(
      /GBI_EMULATOR_LACKS: unknown service lamda/,
    );
    expect(parseServiceList(' lambda ,', 'x')).toEqual(['lambda']);
    expect(parseServiceList(undefined, 'x')).toEqual([]);
  });

  it('passes the capabilities to test workers through the environment unchanged', () => {
    // given detected capabilities
    const capabilities = parseLocalStackHealth(HEALTH_4_14);

    // when they are written to the environment and read back
    const read = capabilitiesFromEnv({ [CAPABILITIES_ENV]: serializeCapabilities(capabilities) });

    // then they are the same, and their label names emulator and version
    expect(read).toEqual(capabilities);
    expect(emulatorLabel(read)).toBe('LocalStack 4.14.0');
    expect(emulatorLabel({ kind: 'moto', services: [] })).toBe('moto');
  });

  it('says where the capabilities come from when the environment lacks them', () => {
    // given no detected capabilities (a test run outside the integration project)
    // when they are read, then the error names the variable and the global setup
    expect(() => capabilitiesFromEnv({})).toThrow(
      /GBI_EMULATOR_CAPABILITIES: not set.*global setup/,
    );
  });
});
