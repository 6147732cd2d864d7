/**
 * CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved
 * to concrete values, as CloudFormation would in one account and region, so policies can be
 * evaluated against ARNs. Physical names are the resource's own name property where the template
 * sets one, else its logical id (lower-cased for buckets).
 */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'GpuBatchInference',
  'AWS::NoValue': '',
};

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export type CfnResources = Readonly<Record<string, CfnResource>>;

/** Name property of each resource type whose physical name a template may set. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Batch::JobQueue': 'JobQueueName',
  'AWS::Batch::JobDefinition': 'JobDefinitionName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Events::Rule': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
};

export class IntrinsicResolver {
  constructor(private readonly resources: CfnResources) {}

  private resource(logicalId: string): CfnResource {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`no resource '${logicalId}' in the template`);
    return resource;
  }

  private physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const given = property ? resource.Properties?.[property] : undefined;
    if (given !== undefined) return this.string(given);
    return resource.Type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
  }

  private arn(service: string, rest: string, region = REGION, account = ACCOUNT): string {
    return `arn:aws:${service}:${region}:${account}:${rest}`;
  }

  ref(logicalId: string): string {
    if (PSEUDO[logicalId] !== undefined) return PSEUDO[logicalId]!;
    const type = this.resource(logicalId).Type;
    const name = this.physicalName(logicalId);
    switch (type) {
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
      case 'AWS::Batch::JobQueue':
        return this.arn('batch', `job-queue/${name}`);
      case 'AWS::Batch::JobDefinition':
        // Ref is the ARN of the revision the stack registered: the first, in a new account.
        return this.arn('batch', `job-definition/${name}:1`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', name);
      default:
        return name;
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    const type = this.resource(logicalId).Type;
    const name = this.physicalName(logicalId);
    const byType: Record<string, () => string> = {
      'AWS::S3::Bucket': () => `arn:aws:s3:::${name}`,
      'AWS::SQS::Queue': () => this.arn('sqs', name),
      'AWS::DynamoDB::Table': () => this.arn('dynamodb', `table/${name}`),
      'AWS::Batch::JobQueue': () => this.ref(logicalId),
      'AWS::SNS::Topic': () => this.ref(logicalId),
      'AWS::KMS::Key': () => this.arn('kms', `key/${name}`),
      'AWS::Logs::LogGroup': () => this.arn('logs', `log-group:${name}:*`),
      'AWS::IAM::Role': () => `arn:aws:iam::${ACCOUNT}:role/${name}`,
      'AWS::Events::Rule': () => this.arn('events', `rule/${name}`),
      'AWS::Lambda::Function': () => this.arn('lambda', `function:${name}`),
    };
    if (attribute === 'QueueName' || attribute === 'RoleId') return name;
    const resolve = byType[type];
    if (!resolve) throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: ${type} not modelled`);
    return resolve();
  }

  /** A value of the template resolved to a string. */
  string(value: unknown): string {
    const resolved = this.value(value);
    if (typeof resolved !== 'string') throw new Error(`not a string: ${JSON.stringify(value)}`);
    return resolved;
  }

  /** Any template value with every intrinsic in it resolved. */
  value(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[key, argument]] = entries as [[string, unknown]];
      switch (key) {
        case 'Ref':
          return this.ref(argument as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = argument as [string, string];
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return parts.map((part) => this.string(part)).join(separator);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [number | string, unknown];
          return (this.value(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, source] = argument as [string, unknown];
          return this.string(source).split(separator);
        }
        case 'Fn::Sub':
          return this.sub(argument);
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, this.value(item)]));
  }

  private sub(argument: unknown): string {
    const [template, variables] = Array.isArray(argument)
      ? (argument as [string, Record<string, unknown>])
      : [argument as string, {}];
    return template.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in variables) return this.string(variables[name]);
      const [id, attribute] = name.split('.');
      return attribute ? this.getAtt(id!, attribute) : this.ref(id!);
    });
  }
}
