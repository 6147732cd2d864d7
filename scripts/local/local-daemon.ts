/**
 * The background process of `gbi local up`: starts the emulator, deploys the stack from the
 * CDK app's template, then plays the batcher Lambda and the Batch compute environment until it
 * receives SIGTERM (`gbi local down`). Its state goes to .emulator/state.json.
 *
 *   node --import tsx scripts/local/local-daemon.ts <state-file> [pipeline-json]
 */
import { join } from 'node:path';
import { readStackOutputs } from '../cli/stack-outputs';
import { deployToEmulator } from './deploy-to-emulator';
import { startLocalRuntime } from './local-runtime';
import { LOCAL_DIRECTORY, removeLocalState, writeLocalState } from './local-state';
import { emulatorEnvironment, RunningEmulator, startEmulator } from './moto-server';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

async function main(stateFile: string, pipelineJson: string | undefined): Promise<void> {
  const startedAt = new Date().toISOString();
  const stateDirectory = join(LOCAL_DIRECTORY, 'local');
  writeLocalState({ status: 'starting', pid: process.pid, stateDirectory, startedAt }, stateFile);
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startEmulator(log);
    Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
    const deployment = await deployToEmulator({
      pipeline: pipelineJson ? (JSON.parse(pipelineJson) as Record<string, unknown>) : {},
      outdir: join(stateDirectory, 'cdk.out'),
      log,
    });
    const stack = await readStackOutputs(deployment.stackName);
    const runtime = await startLocalRuntime({
      stack,
      endpoint: emulator.endpoint,
      stateDirectory,
      onBatcherLog: log,
      onFinisherLog: log,
      onExecutorEvent: (event) => {
        if (event.type !== 'output') log(`executor: ${event.type} ${event.job.jobName}`);
      },
      onError: (source, error) => log(`${source} error: ${error.message}`),
    });
    writeLocalState(
      {
        status: 'ready',
        pid: process.pid,
        endpoint: emulator.endpoint,
        emulatorPid: emulator.process?.pid,
        stackName: deployment.stackName,
        stateDirectory,
        startedAt,
      },
      stateFile,
    );
    log(`ready: stack ${deployment.stackName} at ${emulator.endpoint}`);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log('stopping: waiting for running jobs, then the emulator');
    await runtime.stop();
    await emulator.stop();
    removeLocalState(stateFile);
  } catch (error) {
    await emulator?.stop();
    writeLocalState(
      {
        status: 'failed',
        pid: process.pid,
        stateDirectory,
        startedAt,
        error: (error as Error).message,
      },
      stateFile,
    );
    throw error;
  }
}

main(process.argv[2], process.argv[3]).then(
  () => process.exit(0),
  (error: unknown) => {
    log(`local runtime failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
