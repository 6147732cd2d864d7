import { randomUUID } from 'node:crypto';
import { BatchClient } from '@aws-sdk/client-batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { BATCHER_ENV } from '../../lib/contracts/batcher-env';
import type { AwsService } from '../../scripts/local/emulator/emulator-capabilities';
import { dynamoClient, s3Client } from '../../lib/contracts/aws-clients';
import type { BatcherContext } from '../../lambda/batcher/batcher-context';
import type { BatcherConfig } from '../../lambda/batcher/config';
import { batcherClients, createBatcherContext } from '../../lambda/batcher/create-context';
import { routeEvent } from '../../lambda/batcher/route-event';
import type { BatchThresholds } from '../../lambda/batcher/batch-policy';
import { createBatchResources, createBufferTable } from './batcher-emulator-resources';
import { createBucket } from './emulator-resources';

/** Thrown by the crash injector: the invocation "dies" at that request. */
export class InjectedCrash extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedCrash';
  }
}

type AnyClient = DynamoDBClient | S3Client | BatchClient;

/**
 * Kills an invocation at its Nth AWS request: 'before' the request leaves, or 'after' AWS did
 * the work but before the caller sees the answer. From then on every request of that
 * invocation fails too, as nothing runs after a real crash. The emulator does all the work
 * up to that point.
 */
export class CrashInjector {
  readonly calls: string[] = [];
  private dead = false;

  /** Crash at the request with this index, or at the first request of this command. */
  constructor(
    private readonly crashAt?: {
      readonly index?: number;
      readonly command?: string;
      readonly timing: 'before' | 'after';
    },
  ) {}

  private isCrashPoint(index: number, command: string | undefined): boolean {
    return this.crashAt?.index === index || this.crashAt?.command === command;
  }

  attach<C extends AnyClient>(client: C): C {
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
      (next, context) => async (args) => {
        const index = this.calls.length;
        this.calls.push(context.commandName ?? 'unknown');
        if (this.dead) throw new InjectedCrash(`already dead at request ${index}`);
        const crashHere = this.isCrashPoint(index, context.commandName);
        if (crashHere && this.crashAt?.timing === 'before') {
          this.dead = true;
          throw new InjectedCrash(`crash before request ${index} (${context.commandName})`);
        }
        const result = await next(args);
        if (crashHere && this.crashAt?.timing === 'after') {
          this.dead = true;
          throw new InjectedCrash(`crash after request ${index} (${context.commandName})`);
        }
        return result;
      },
      { step: 'initialize', name: 'crashInjector', override: true },
    );
    return client;
  }
}

/**
 * moto serves requests on threads without per-request locking: a failed TransactWriteItems
 * even restores a table snapshot. Real DynamoDB and S3 apply each request atomically, so
 * tests that race invocations serialise single requests to regain that guarantee. The
 * invocations still interleave freely between requests, which is where the protocol's races
 * live.
 */
export class RequestSerializer {
  private tail: Promise<unknown> = Promise.resolve();

  attach<C extends AnyClient>(client: C): C {
    (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
      (next) => (args) => {
        const run = this.tail.then(() => next(args));
        this.tail = run.catch(() => undefined);
        return run;
      },
      { step: 'finalizeRequest', priority: 'low', name: 'requestSerializer', override: true },
    );
    return client;
  }
}

/** What a batcher testbed uses: the buffer table, the results bucket, the job queue and its role. */
export const BATCHER_SERVICES: readonly AwsService[] = ['s3', 'dynamodb', 'batch', 'iam'];

export interface BatcherTestbed {
  readonly config: BatcherConfig;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly batch: BatchClient;
}

export const TEST_THRESHOLDS: BatchThresholds = {
  maxFiles: 100,
  maxBytes: 1024 ** 3,
  maxWaitMs: 300_000,
};

/** A fresh table and results bucket (and job queue unless shared) for one test. */
export async function createTestbed(
  overrides: Partial<BatcherConfig> = {},
  shared?: { jobQueueArn: string; jobDefinitionArn: string },
): Promise<BatcherTestbed> {
  const s3 = s3Client();
  const dynamo = dynamoClient();
  const batch = new BatchClient({ maxAttempts: 1 });
  const [bufferTable, resultsBucket, resources] = await Promise.all([
    createBufferTable(dynamo),
    createBucket(s3),
    shared ?? createBatchResources(batch),
  ]);
  return {
    s3,
    dynamo,
    batch,
    config: {
      bufferTable,
      resultsBucket,
      jobQueue: resources.jobQueueArn,
      inferJobDefinition: resources.jobDefinitionArn,
      model: { name: 'digits' },
      inputBucket: 'input-bucket',
      inputPrefix: 'incoming/',
      inputSuffixes: [],
      thresholds: TEST_THRESHOLDS,
      shardSize: 2,
      metricsNamespace: 'GpuBatchInferenceTest',
      ...overrides,
    },
  };
}

export interface InvocationOptions {
  /** Added to the wall clock: lets a test age a batch or outlive a lease. */
  readonly clockOffsetMs?: number;
  readonly crash?: CrashInjector;
  readonly serializer?: RequestSerializer;
  /** Receives the invocation's log and metric lines. */
  readonly lines?: string[];
  /** Adds faults or interleavings to the invocation's clients. */
  readonly onClients?: (clients: {
    readonly dynamo: DynamoDBClient;
    readonly s3: S3Client;
    readonly batch: BatchClient;
  }) => void;
}

/** Lease of one test invocation; later invocations jump past it with clockOffsetMs. */
export const TEST_LEASE_MS = 60_000;

/**
 * A context like the handler's for one invocation, on fresh clients to the emulator (so a
 * crash injector affects only this invocation).
 */
export function invocationContext(
  bed: BatcherTestbed,
  options: InvocationOptions = {},
): BatcherContext {
  const wrap = <C extends AnyClient>(client: C): C => {
    options.serializer?.attach(client);
    options.crash?.attach(client);
    return client;
  };
  const now = () => Date.now() + (options.clockOffsetMs ?? 0);
  const real = batcherClients();
  const clients = { dynamo: wrap(real.dynamo), s3: wrap(real.s3), batch: wrap(real.batch) };
  options.onClients?.(clients);
  return createBatcherContext(bed.config, clients, {
    invocationId: randomUUID(),
    now,
    leaseUntil: () => now() + TEST_LEASE_MS,
    sink: (line) => options.lines?.push(line),
    submitRetry: { attempts: 3, baseMs: 1, capMs: 5 },
  });
}

/** Runs the handler's routing in-process, as Lambda would with this event. */
export function invoke(
  bed: BatcherTestbed,
  event: unknown,
  options: InvocationOptions = {},
): ReturnType<typeof routeEvent> {
  return routeEvent(event, invocationContext(bed, options));
}

/** An error shaped like the SDK's for an HTTP failure, e.g. 429 throttling or a 503. */
export function serviceError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(`injected ${name}`), {
    name,
    $metadata: { httpStatusCode },
  });
}

/**
 * Makes the next `times` requests named `commandName` fail with `error(n)` (n counting from 0)
 * before they reach the emulator (Infinity: all of them); counts how many were failed.
 */
export function failRequests<C extends AnyClient>(
  client: C,
  commandName: string,
  times: number,
  error: (n: number) => Error,
): { failed: number } {
  const state = { failed: 0 };
  (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && state.failed < times) {
        state.failed += 1;
        throw error(state.failed - 1);
      }
      return next(args);
    },
    { step: 'initialize', name: `fail-${commandName}`, override: true },
  );
  return state;
}

/** Runs `action` to completion just before the first request named `commandName` is sent. */
export function runBefore<C extends AnyClient>(
  client: C,
  commandName: string,
  action: () => Promise<unknown>,
): void {
  let done = false;
  (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
    (next, context) => async (args) => {
      if (!done && context.commandName === commandName) {
        done = true;
        await action();
      }
      return next(args);
    },
    { step: 'initialize', name: `before-${commandName}`, override: true },
  );
}

/** The environment the stack would give the function for `config` (lib/contracts/batcher-env.ts). */
export function batcherEnvironment(config: BatcherConfig): Record<string, string> {
  return {
    [BATCHER_ENV.bufferTable]: config.bufferTable,
    [BATCHER_ENV.resultsBucket]: config.resultsBucket,
    [BATCHER_ENV.jobQueue]: config.jobQueue,
    [BATCHER_ENV.inferJobDefinition]: config.inferJobDefinition,
    [BATCHER_ENV.modelName]: config.model.name,
    [BATCHER_ENV.modelVersion]: config.model.version ?? '',
    [BATCHER_ENV.inputBucket]: config.inputBucket,
    [BATCHER_ENV.inputPrefix]: config.inputPrefix,
    [BATCHER_ENV.inputSuffixes]: config.inputSuffixes.join(','),
    [BATCHER_ENV.maxBatchFiles]: String(config.thresholds.maxFiles),
    [BATCHER_ENV.maxBatchBytes]: String(config.thresholds.maxBytes),
    [BATCHER_ENV.maxBatchWaitSeconds]: String(config.thresholds.maxWaitMs / 1000),
    [BATCHER_ENV.shardSize]: String(config.shardSize),
    [BATCHER_ENV.metricsNamespace]: config.metricsNamespace,
  };
}

/** The part of the Lambda context the handler reads. */
export function lambdaContext(remainingMs = 60_000): Context {
  return { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => remainingMs } as Context;
}
