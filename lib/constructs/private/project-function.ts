import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AccessCall } from '../../contracts/access';

const PROJECT_ROOT = path.join(__dirname, '..', '..', '..');

export interface ProjectFunctionProps {
  /** The folder under lambda/ whose handler.ts exports `handler`. */
  readonly lambdaFolder: string;
  /** What the function's own role may do, for the console. */
  readonly roleDescription: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  /** Anything else of the function (its dead-letter queue, retries). */
  readonly functionProps?: Partial<nodejs.NodejsFunctionProps>;
}

export interface ProjectFunction {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
}

/**
 * One of this project's Lambda functions as every one of them is deployed: bundled from
 * lambda/<folder>/handler.ts with esbuild (no Docker), Node 24 on ARM, JSON logs into a log group
 * of its own kept three months and past a stack deletion (the record of what it did), and a role
 * of its own instead of the default one with AWSLambdaBasicExecutionRole, which may create and
 * write every log group of the account: this one writes only the function's. Creates `Logs`,
 * `Role` and `Function` in `scope`.
 */
export function projectFunction(scope: Construct, props: ProjectFunctionProps): ProjectFunction {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription,
  });
  logGroup.grantWrite(role);
  const fn = new nodejs.NodejsFunction(scope, 'Function', {
    role,
    entry: path.join(PROJECT_ROOT, 'lambda', props.lambdaFolder, 'handler.ts'),
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    bundling: { minify: true, sourceMap: true, target: 'node24', forceDockerBundling: false },
    environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    ...props.functionProps,
  });
  return { function: fn, role };
}

/** What Lambda does with each function's role (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['batcher', 'finisher'],
    sdk: 'lambda:logs',
    action: 'logs:CreateLogStream',
    resources: [{ arn: 'ownLogGroup', suffix: 'log-stream:2024/05/01/[$LATEST]0123' }],
    why: "Lambda opens a log stream per execution environment in the function's log group",
  },
  {
    by: ['batcher', 'finisher'],
    sdk: 'lambda:logs',
    action: 'logs:PutLogEvents',
    resources: [{ arn: 'ownLogGroup', suffix: 'log-stream:2024/05/01/[$LATEST]0123' }],
    why: "Lambda writes the function's logs and metrics (embedded metric format)",
  },
];
