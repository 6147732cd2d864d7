import { ListJobsCommand } from '@aws-sdk/client-batch';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { batchClient, s3Client } from '../../../lib/contracts/aws-clients';
import { COMMANDS, runCli } from '../../../scripts/cli/run-cli';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { featuresModel, publishModel } from '../../helpers/worker-model-fixture';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { GbiRun, runGbi } from '../../helpers/run-gbi';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

let deployed: DeployedTestStack;

function gbi(...argv: string[]): Promise<GbiRun> {
  return runGbi(deployed.stack.stackName, ...argv);
}

/** Puts `names` under a fresh prefix of the input bucket, then `gbi submit --prefix` on it. */
async function backfill(tag: string, names: readonly string[]): Promise<GbiRun> {
  const prefix = `${deployed.stack.inputPrefix}${tag}-${Date.now()}/`;
  for (const name of names) {
    await s3Client().send(
      new PutObjectCommand({ Bucket: deployed.stack.inputBucket, Key: prefix + name, Body: name }),
    );
  }
  return gbi('submit', '--prefix', `s3://${deployed.stack.inputBucket}/${prefix}`);
}

async function publishVersion(version: string, champion: boolean): Promise<void> {
  const model = featuresModel(3, 2);
  await publishModel(s3Client(), deployed.stack.modelBucket, model, {
    name: 'registry-test',
    version,
    input: { kind: 'features', size: 3 },
    labels: ['a', 'b'],
    champion,
  });
  model.dispose();
}

describeOnEmulator(STACK_SERVICES, 'the operator CLI on the deployed stack', () => {
  beforeAll(async () => {
    deployed = await deployTestStack();
  });

  describe('help and argument errors', () => {
    test.each(COMMANDS.map((c) => c.name))(
      'gbi %s --help prints its usage and exits 0',
      async (name) => {
        // Given a subcommand
        // When it is asked for help
        const run = await gbi(name, '--help');
        // Then its own usage is printed
        expect(run.code).toBe(0);
        expect(run.out).toMatch(new RegExp(`^usage: gbi ${name}`));
      },
    );

    test('an unknown command exits 2 and lists the commands', async () => {
      // When an unknown command is given
      const run = await gbi('deploy');
      // Then the error names it and the known ones
      expect(run.code).toBe(2);
      expect(run.err).toContain("unknown command 'deploy'");
      expect(run.err).toContain('submit, status');
    });

    test('an unknown option exits 2 naming the command and the option', async () => {
      // When status gets an option it does not have
      const run = await gbi('status', '--verbose');
      // Then the error names both
      expect(run.code).toBe(2);
      expect(run.err).toContain('status:');
      expect(run.err).toContain('--verbose');
    });

    test('results without --batch exits 2 naming the missing option', async () => {
      // When the required option is missing
      const run = await gbi('results');
      // Then the error says which
      expect(run.code).toBe(2);
      expect(run.err).toContain('--batch is required');
    });

    test('submit with a prefix outside the input bucket exits 2 naming both buckets', async () => {
      // When the prefix points at another bucket
      const run = await gbi('submit', '--prefix', 's3://somebody-elses-bucket/incoming/');
      // Then nothing is submitted and the error names the buckets
      expect(run.code).toBe(2);
      expect(run.err).toContain("'somebody-elses-bucket'");
      expect(run.err).toContain(deployed.stack.inputBucket);
    });
  });

  describe('missing resources', () => {
    test('a stack that does not exist exits 1 naming it', async () => {
      // When the CLI is pointed at a stack name nobody deployed
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['--stack', 'NoSuchStack', 'status'], {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      // Then it says the stack was not found
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('stack NoSuchStack: not found');
    });

    test('results of an unknown batch exits 1 naming the missing manifest', async () => {
      // When a batch id has no manifest
      const run = await gbi('results', '--batch', 'no-such-batch');
      // Then the error names where it looked
      expect(run.code).toBe(1);
      expect(run.err).toContain('batch no-such-batch: no manifest at s3://');
    });

    test('promoting a version that does not exist exits 1 naming it', async () => {
      // When an unknown version is promoted
      const run = await gbi('models', 'promote', 'v-missing', '--model', 'nothing-here');
      // Then the registry's reason is shown
      expect(run.code).toBe(1);
      expect(run.err).toContain("version 'v-missing' does not exist");
    });
  });

  describe('operations on the deployed stack', () => {
    test('submit batches the objects under a prefix and status lists the batch', async () => {
      // Given three objects already in the input bucket
      // When they are backfilled
      const submit = await backfill('backfill', ['a.png', 'b.png', 'c.png']);
      // Then one batch was submitted and status shows it with its three files
      expect(submit.code).toBe(0);
      const batchId = /batch (\S+): submitted/.exec(submit.out)?.[1];
      expect(batchId).toBeDefined();
      const status = await gbi('status');
      expect(status.out).toContain(`batch ${batchId}: 3 files`);
    });

    test('status --batch shows the batch, its job and each shard', async () => {
      // Given a backfilled batch of two objects
      const submit = await backfill('detail', ['x.png', 'y.png']);
      const batchId = /batch (\S+): submitted/.exec(submit.out)![1];
      // When its status is asked for
      const status = await gbi('status', '--batch', batchId);
      // Then the files, the job found in the queue and the unfinished shard are shown
      expect(status.code).toBe(0);
      expect(status.out).toContain('files          2 in 1 shards');
      expect(status.out).toMatch(/job {12}\S+ /);
      expect(status.out).toContain('no summary yet');
    });

    test('retrain submits the train job definition to the job queue', async () => {
      // When a retrain is requested
      const run = await gbi('retrain');
      // Then a manual-retrain job of the train job definition is in the queue
      expect(run.code).toBe(0);
      const jobId = /submitted manual-retrain (\S+)/.exec(run.out)?.[1];
      const { jobSummaryList = [] } = await batchClient().send(
        new ListJobsCommand({
          jobQueue: deployed.stack.jobQueue,
          filters: [{ name: 'JOB_NAME', values: ['manual-retrain'] }],
        }),
      );
      expect(jobSummaryList.map((j) => j.jobId)).toContain(jobId);
    });

    test('models promote, then rollback, move the champion and list shows it', async () => {
      // Given two versions, the first the champion
      await publishVersion('v1-first', true);
      await publishVersion('v2-second', false);
      // When the second is promoted, then rolled back
      const promote = await gbi('models', 'promote', 'v2-second', '--model', 'registry-test');
      const afterPromote = await gbi('models', 'list', '--model', 'registry-test');
      const rollback = await gbi('models', 'rollback', '--model', 'registry-test');
      const afterRollback = await gbi('models', 'list', '--model', 'registry-test');
      // Then the champion moved to v2 and back to v1
      expect(promote.out).toContain('champion is now v2-second');
      expect(afterPromote.out).toContain('* v2-second');
      expect(rollback.out).toContain('champion is now v1-first (was v2-second)');
      expect(afterRollback.out).toContain('* v1-first');
    });
  });
});
