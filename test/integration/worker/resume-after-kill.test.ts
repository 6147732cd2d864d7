import { s3Client } from '../../../lib/contracts/aws-clients';
import { recordId } from '../../../lib/contracts/manifest';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { shardOf300, shardOf300InArchives } from '../../helpers/checkpointed-shard';
import { startWorker, waitFor } from '../../helpers/worker-process';
import { listKeys, readShardOutputs } from '../../helpers/worker-results';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(180_000);

const s3 = s3Client();

describeOnEmulator(['s3'], 'a shard killed midway and run again', () => {
  it('ends with every record exactly once, resuming after the last checkpoint', async () => {
    // given a shard of 300 images, every 50th one corrupt, checkpointed every 20 records
    const { results, files, items, argv, env, hasCheckpoint } = await shardOf300(s3, 'killed');

    // when the worker process is killed (SIGKILL, as a spot reclaim) after its first checkpoint
    const worker = startWorker(argv, env);
    await waitFor(hasCheckpoint, 'a first checkpoint part');
    worker.child.kill('SIGKILL');
    await worker.exited;
    const summaryBeforeRetry = await listKeys(s3, results, 'summaries/');
    // ...and the shard runs again
    const lines: string[] = [];
    const code = await runInferCommand(argv.slice(1), (line) => lines.push(line), env);

    // then the kill happened before the end, the retry resumed, and every record is there once
    expect(summaryBeforeRetry).toEqual([]);
    expect(code).toBe(0);
    expect(lines.find((line) => line.includes('resuming at object'))).toMatch(
      /resuming at object [1-9]\d* after [1-9]\d* checkpoint parts/,
    );
    const outputs = await readShardOutputs(s3, results, 'killed', 0);
    const ids = [...outputs.results, ...outputs.errors].map((record) => record.recordId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(items.map((item) => recordId(item, 0)).sort());
    expect(outputs.results.map((r) => r.source.key)).toEqual(
      files.map((f) => f.key).filter((_, i) => i % 50 !== 49),
    );
    expect(outputs.errors).toHaveLength(6);
    expect(outputs.summary.counts).toEqual({ ok: 294, failed: 6, skipped: 0 });
  });

  it('checkpoints what it scored and exits 1 on SIGTERM, and the retry resumes exactly there', async () => {
    // given the same kind of shard, running in its own process
    const { results, items, argv, env, hasCheckpoint } = await shardOf300(s3, 'stopped');
    const worker = startWorker(argv, env);

    // when it receives SIGTERM after its first checkpoint, as AWS Batch stops a container
    await waitFor(hasCheckpoint, 'a first checkpoint part');
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    // ...and the shard runs again
    const lines: string[] = [];
    await runInferCommand(argv.slice(1), (line) => lines.push(line), env);

    // then the stopped run said where it stopped, the retry resumed there, and nothing is lost
    expect(code).toBe(1);
    const stoppedAt = /stopped after object (\d+) of 300, all checkpointed/.exec(
      worker.output.text,
    )?.[1];
    expect(stoppedAt).toBeDefined();
    expect(lines.join('\n')).toContain(`resuming at object ${stoppedAt} after`);
    const outputs = await readShardOutputs(s3, results, 'stopped', 0);
    const ids = [...outputs.results, ...outputs.errors].map((record) => record.recordId);
    expect([...ids].sort()).toEqual(items.map((item) => recordId(item, 0)).sort());
  });

  it('ends with every archive member exactly once when killed midway through archives', async () => {
    // given the 300 images packed 30 to an archive, every 50th one corrupt
    const { results, items, argv, env, hasCheckpoint } = await shardOf300InArchives(s3, 'packed');

    // when the worker process is killed after its first checkpoint and the shard runs again
    const worker = startWorker(argv, env);
    await waitFor(hasCheckpoint, 'a first checkpoint part');
    worker.child.kill('SIGKILL');
    await worker.exited;
    const lines: string[] = [];
    const code = await runInferCommand(argv.slice(1), (line) => lines.push(line), env);

    // then the retry resumed at an archive, and each member's record is there exactly once
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/resuming at object [1-9]\d* after/);
    const outputs = await readShardOutputs(s3, results, 'packed', 0);
    const ids = [...outputs.results, ...outputs.errors].map((record) => record.recordId);
    const expected = items.flatMap((item, a) =>
      Array.from({ length: 30 }, (_, m) =>
        recordId(item, 0, { index: m, name: `${String(a * 30 + m).padStart(3, '0')}.png` }),
      ),
    );
    expect([...ids].sort()).toEqual(expected.sort());
    expect(outputs.summary.counts).toEqual({ ok: 294, failed: 6, skipped: 0 });
  });
});
