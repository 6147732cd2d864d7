import { accountedExactlyOnce } from './e2e-accounting';
import type { EndToEndResult } from './e2e-bench';
import { count, duration, markdownTable, sig } from '../../report/markdown-table';

const seconds = (ms: number) => duration(ms / 1000);

function runBlock(run: EndToEndResult): string {
  const t = run.timeline;
  const a = run.accounting;
  const verdict = accountedExactlyOnce(a)
    ? `**every file accounted for exactly once**: ${count(a.results)} results + ${count(a.errors)} errors = ${count(a.uploaded)} uploads (${count(run.corruptFiles)} were deliberately truncated PNGs)`
    : `**accounting FAILED**: ${a.missing.length} missing, ${a.duplicated.length} duplicated, ${a.unexpected.length} unexpected`;
  return [
    `### ${count(run.files)} files`,
    '',
    `Batches of at most ${count(run.thresholds.maxFiles)} files (max wait ${run.thresholds.maxWaitSeconds} s), shards of ${count(run.thresholds.shardSize)}, ${run.parallelism} worker processes at a time: ${t.batches} batch(es), ${t.shards} shard(s), ${run.batcherInvocations} batcher invocations. Upload took ${seconds(t.uploadMs)} (paced to keep under ${count(run.maxQueuedNotifications)} notifications queued); **first upload to last result: ${seconds(t.totalMs)}** (${count((t.files / t.totalMs) * 1000)} files/s). Per file, upload to result: mean ${seconds(t.fileLatencyMs.mean)}, median ${seconds(t.fileLatencyMs.p50)}, max ${seconds(t.fileLatencyMs.max)}. Result: ${verdict}.${run.backgroundErrors.length > 0 ? ` Retried background errors: ${run.backgroundErrors.length}.` : ''}`,
    '',
    markdownTable(
      ['Phase', 'Mean', 'Max', 'Measured as'],
      t.phases.map((p) => [p.phase, seconds(p.meanMs), seconds(p.maxMs), p.what]),
    ),
  ].join('\n');
}

export function endToEndSection(
  runs: readonly EndToEndResult[],
  command: string,
  date: string,
): string {
  return [
    `Command: \`${command}\` on ${date}. The whole pipeline on the emulator (moto): PNG digits uploaded to an input bucket whose ObjectCreated notifications go to SQS, as the stack wires them; the batcher's routing invoked in-process from SQS (up to 1,000 messages per invocation, gathered for at most the 20 s batching window, with the stack's visibility timeout) and from a schedule (every 5 s here, every minute when deployed); the array jobs run by the local Batch executor as worker processes (tsx, wasm backend); results, errors and summaries read back from S3. One file in 20 is a truncated PNG, so the error stream is exercised too. Timings come from the manifests (batch closed), the Batch jobs (submitted) and the shard summaries (scoring started and ended, write time).`,
    '',
    ...runs.map(runBlock),
    dominantPhase(runs[runs.length - 1]),
    notRun(runs),
  ].join('\n\n');
}

const FULL_SIZES = [1_000, 10_000];

/** Which of the issue's sizes this run left out, and what they would take at the rate seen. */
function notRun(runs: readonly EndToEndResult[]): string {
  const missing = FULL_SIZES.filter((files) => !runs.some((run) => run.files === files));
  const largest = runs[runs.length - 1];
  if (missing.length === 0 || largest === undefined) return '';
  const perSecond = (largest.files / largest.timeline.batchingSpanMs) * 1000;
  return `Not run at this size: ${missing.map(count).join(' and ')} files (\`npm run bench -- --size full\` runs 1,000 and 10,000). Here the batcher on the emulator took files in at ${sig(perSecond)} files/s (${count(largest.files)} files from first upload to last batch closed in ${seconds(largest.timeline.batchingSpanMs)}), so 10,000 files would need about ${duration(10_000 / perSecond)} of batching alone on this shared 2-core machine, where one emulator process serves every S3, SQS and DynamoDB request.`;
}

const WHY: Readonly<Record<string, string>> = {
  accumulate:
    "a file waits in SQS until the batcher takes it in, then in the buffer until max files or max wait closes its batch: the price of fewer, larger GPU jobs, and here also the emulator-backed batcher's intake rate",
  submit: 'writing the manifest and submitting the array job',
  'job start':
    'each shard is a fresh Node process that compiles the worker with tsx, initialises the wasm backend and loads the model from S3: the local stand-in for the instance boot and image pull priced in [cost.md](cost.md)',
  inference:
    'downloading, decoding and scoring on the wasm backend, two processes on two shared cores (see the peer section for the model call alone)',
  write: 'checkpoint parts and the final result, error and summary objects',
};

function dominantPhase(run: EndToEndResult | undefined): string {
  if (run === undefined) return '';
  const top = [...run.timeline.phases].sort((a, b) => b.meanMs - a.meanMs)[0];
  return `In the ${count(run.files)}-file run the largest phase is **${top.phase}** (mean ${seconds(top.meanMs)}): ${WHY[top.phase] ?? top.what}.`;
}
