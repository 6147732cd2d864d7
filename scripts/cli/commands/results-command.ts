import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { RESULTS_PREFIXES } from '../../../lib/contracts/keys';
import { readBatchResults } from '../batch-results';
import { Command, parseCommandArgs, requiredOption } from '../command';
import { UsageError } from '../errors';
import { summarizeBatch } from '../summarize-batch';

const HELP = `usage: gbi results --batch <batch-id> [--out <directory>] [--show N]

Fetches a batch's results and errors from the results bucket and summarises them: counts,
predicted labels, errors by code with a reason each, stage timings.

options
  --batch ID    the batch (see gbi status) (required)
  --out DIR     also write results.jsonl, errors.jsonl and summary.json there
  --show N      print the first N result records (default 5)`;

export const resultsCommand: Command = {
  name: 'results',
  summary: 'fetch and summarise the results of a batch',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('results', args, {
      batch: { type: 'string' },
      out: { type: 'string' },
      show: { type: 'string' },
    });
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const batchId = requiredOption(parsed, 'results', 'batch', 'a batch id, see gbi status');
    const show = Number(parsed.values.show ?? 5);
    if (!Number.isInteger(show) || show < 0) {
      throw new UsageError(
        `results: --show: expected a whole number, got '${String(parsed.values.show)}'`,
      );
    }
    const stack = await context.stack();
    const batch = await readBatchResults(s3Client(), stack.resultsBucket, batchId);
    const summary = summarizeBatch(batch);
    const { io } = context;
    const labels = new Map<string, number>();
    for (const result of batch.results) {
      const label = result.predictions[0]?.label ?? '(none)';
      labels.set(label, (labels.get(label) ?? 0) + 1);
    }
    io.out(`batch      ${batchId} (model ${summary.model})`);
    io.out(
      `files      ${summary.files}: ${summary.ok} scored, ${summary.failed} failed, ${summary.unaccounted} not done yet`,
    );
    io.out(
      `shards     ${summary.shardsDone}/${summary.shards} finished; slowest ${(summary.slowestShardMs / 1000).toFixed(1)} s`,
    );
    io.out(
      `stages     download ${summary.stageMs.download} ms, decode ${summary.stageMs.decode} ms, inference ${summary.stageMs.inference} ms, write ${summary.stageMs.write} ms (summed over shards)`,
    );
    io.out(
      `top-1      ${
        [...labels]
          .sort((a, b) => b[1] - a[1])
          .map(([label, count]) => `${label}: ${count}`)
          .join(', ') || 'none'
      }`,
    );
    for (const [code, count] of Object.entries(summary.errorsByCode)) {
      io.out(
        `error      ${code} x${count}, e.g. ${summary.exampleReasons[code as keyof typeof summary.exampleReasons]}`,
      );
    }
    for (const result of batch.results.slice(0, show)) {
      const top = result.predictions[0];
      io.out(
        `  ${result.source.key} -> ${top?.label ?? '-'} (${top ? top.score.toFixed(3) : '-'})`,
      );
    }
    io.out(
      `location   s3://${stack.resultsBucket}/${RESULTS_PREFIXES.results}${batchId}/ (errors: ${RESULTS_PREFIXES.errors}${batchId}/, summaries: ${RESULTS_PREFIXES.summaries}${batchId}/)`,
    );
    const out = parsed.values.out as string | undefined;
    if (out) {
      mkdirSync(out, { recursive: true });
      const lines = (records: readonly unknown[]) =>
        records.map((r) => JSON.stringify(r)).join('\n') + '\n';
      writeFileSync(join(out, 'results.jsonl'), lines(batch.results));
      writeFileSync(join(out, 'errors.jsonl'), lines(batch.errors));
      writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
      io.out(`written    ${join(out, 'results.jsonl')}, errors.jsonl, summary.json`);
    }
    return 0;
  },
};
