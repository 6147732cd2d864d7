import {
  completionEventId,
  type BatchSummary as BatchJson,
} from '../../lib/contracts/batch-summary';
import { resultKeys } from '../../lib/contracts/keys';
import type { ErrorRecord, ResultRecord } from '../../lib/contracts/records';
import type { BatchSummary } from '../cli/summarize-batch';
import type { CompletionEvent } from '../shared/completion-subscription';
import type { LocalJobStatus } from '../local/executor/executor-state';
import { LabelAccuracy, labelAccuracy } from './digit-labels';
import type { UploadedInputs } from './upload-inputs';

export interface DemoBatch {
  /** The completion event the demo's own subscription received for the batch. */
  readonly completion?: CompletionEvent;
  /** summaries/<batch-id>/batch.json, as the finisher wrote it. */
  readonly batchSummary?: BatchJson;
  readonly summary: BatchSummary;
  readonly jobStatus: LocalJobStatus;
  readonly jobReason?: string;
  readonly results: readonly ResultRecord[];
  readonly errors: readonly ErrorRecord[];
}

/** What a demo run observed, gathered from S3, the executor and the queues. */
export interface DemoFacts {
  readonly uploads: UploadedInputs;
  readonly training: {
    readonly status: LocalJobStatus;
    readonly reason?: string;
    readonly trainingImages: number;
    readonly version?: string;
    readonly validationAccuracy?: number;
  };
  readonly batches: readonly DemoBatch[];
  readonly deadLetterMessages: number;
  /** Failures of the local batcher or executor loops. */
  readonly runtimeErrors: readonly string[];
  /** Phase name -> milliseconds, in the order they ran. */
  readonly timings: ReadonlyArray<readonly [string, number]>;
  readonly resultsLocation: string;
  readonly minAccuracy: number;
}

export interface DemoReport {
  readonly ok: boolean;
  /** Everything that went wrong; empty on success. */
  readonly problems: readonly string[];
  readonly files: number;
  readonly batches: number;
  readonly shards: number;
  readonly scored: number;
  readonly accuracy: LabelAccuracy;
  readonly errors: readonly {
    readonly key: string;
    readonly code: string;
    readonly reason: string;
  }[];
  readonly facts: DemoFacts;
}

/** Checks every expectation of a healthy run and collects each failure as a sentence. */
export function buildDemoReport(facts: DemoFacts): DemoReport {
  const problems: string[] = [];
  const results = facts.batches.flatMap((batch) => batch.results);
  const errors = facts.batches.flatMap((batch) => batch.errors);
  const accuracy = labelAccuracy(results);

  if (facts.training.status !== 'SUCCEEDED') {
    problems.push(`retrain job ${facts.training.status}: ${facts.training.reason ?? 'no reason'}`);
  } else if (!facts.training.version) {
    problems.push('retrain job succeeded but the registry has no champion');
  }
  for (const batch of facts.batches) {
    if (batch.jobStatus !== 'SUCCEEDED') {
      problems.push(
        `batch ${batch.summary.batchId}: array job ${batch.jobStatus} (${batch.jobReason ?? 'no reason'})`,
      );
    }
    const { batchId } = batch.summary;
    if (!batch.batchSummary) {
      problems.push(`batch ${batchId}: the finisher wrote no ${resultKeys.batchSummary(batchId)}`);
    } else if (batch.batchSummary.status !== 'SUCCEEDED') {
      problems.push(`batch ${batchId}: batch summary says ${batch.batchSummary.status}`);
    }
    if (!batch.completion) {
      problems.push(`batch ${batchId}: no completion event reached the demo's subscription`);
    } else if (
      batch.batchSummary &&
      batch.completion.detail.eventId !== completionEventId(batch.batchSummary)
    ) {
      problems.push(
        `batch ${batchId}: completion event ${batch.completion.detail.eventId} does not match the summary's status ${batch.batchSummary.status}`,
      );
    }
    if (batch.summary.unaccounted > 0) {
      problems.push(
        `batch ${batch.summary.batchId}: ${batch.summary.unaccounted} files have neither a result nor an error record`,
      );
    }
  }
  const scoredKeys = new Set(results.map((r) => r.source.key));
  const errorByKey = new Map(errors.map((e) => [e.source.key, e]));
  const missingDigits = facts.uploads.digits.filter((key) => !scoredKeys.has(key));
  if (missingDigits.length > 0) {
    const first = missingDigits[0];
    const error = errorByKey.get(first);
    problems.push(
      `${missingDigits.length} of ${facts.uploads.digits.length} digits were not scored (first: ${first}${
        error ? `: ${error.code} ${error.reason}` : ''
      })`,
    );
  }
  for (const [key, expectedCode] of Object.entries(facts.uploads.corrupt)) {
    const error = errorByKey.get(key);
    if (scoredKeys.has(key)) problems.push(`${key}: corrupt, yet it was scored`);
    else if (!error) problems.push(`${key}: corrupt, yet it is missing from the error stream`);
    else if (error.code !== expectedCode) {
      problems.push(`${key}: reported ${error.code} (${error.reason}), expected ${expectedCode}`);
    }
  }
  if (accuracy.labelled > 0 && accuracy.accuracy < facts.minAccuracy) {
    problems.push(
      `accuracy ${(accuracy.accuracy * 100).toFixed(1)}% is below the ${(facts.minAccuracy * 100).toFixed(0)}% a working pipeline reaches`,
    );
  }
  if (facts.deadLetterMessages > 0) {
    problems.push(`${facts.deadLetterMessages} messages in the ingest dead-letter queue`);
  }
  problems.push(...facts.runtimeErrors);

  return {
    ok: problems.length === 0,
    problems,
    files: facts.batches.reduce((total, b) => total + b.summary.files, 0),
    batches: facts.batches.length,
    shards: facts.batches.reduce((total, b) => total + b.summary.shards, 0),
    scored: results.length,
    accuracy,
    errors: errors.map((e) => ({ key: e.source.key, code: e.code, reason: e.reason })),
    facts,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The completion event the demo received and the batch summary, as a reader checks them. */
function completionLines(batch: DemoBatch): string[] {
  const event = batch.completion;
  const summary = batch.batchSummary;
  const lines = [
    event
      ? `completion     ${event['detail-type']} from ${event.source}, eventId ${event.detail.eventId}, resources ${event.resources.join(', ') || '(none)'}`
      : `completion     none received for batch ${batch.summary.batchId}`,
  ];
  if (event)
    lines.push(
      `  detail       ${JSON.stringify({ ...event.detail, shards: undefined, resultKeys: undefined, errorKeys: undefined })}`,
    );
  if (!summary) return [...lines, 'batch summary  (none)'];
  const c = summary.counts;
  const errors = Object.entries(summary.errorsByCode).map(([code, n]) => `${code} ${n}`);
  return [
    ...lines,
    `batch summary  s3://${summary.resultsBucket}/${resultKeys.batchSummary(summary.batchId)}`,
    `  status       ${summary.status}: ${c.files} files in ${c.shards} shards (${c.shardsSucceeded} finished, ${c.shardsFailed} failed); ${c.ok} scored, ${c.failed} failed, ${c.skipped} skipped${errors.length > 0 ? ` (${errors.join(', ')})` : ''}`,
    `  model        ${summary.model.name}${summary.model.version ? `@${summary.model.version}` : ''}; job ${summary.job.name} ${summary.job.status}, ran ${seconds(summary.durationMs)} (${summary.startedAt} to ${summary.endedAt})`,
    ...summary.shards.map(
      (shard) =>
        `  shard ${String(shard.shard).padEnd(6)} ${shard.status}${shard.counts ? `: ${shard.counts.ok} ok, ${shard.counts.failed} failed` : `: ${shard.reason}`} -> ${shard.resultKey}`,
    ),
  ];
}

/** The summary printed at the end of `npm run demo`. */
export function formatDemoReport(report: DemoReport): string {
  const { facts } = report;
  const lines = [
    '',
    '=== demo summary ===',
    `model          digits@${facts.training.version ?? '(none)'}, trained by the retrain job on ${facts.training.trainingImages} images` +
      (facts.training.validationAccuracy === undefined
        ? ''
        : ` (validation accuracy ${(facts.training.validationAccuracy * 100).toFixed(1)}%)`),
    `files          ${report.files} in ${report.batches} batch(es), ${report.shards} shard(s)`,
    `scored         ${report.scored}, failed ${report.errors.length}`,
    `accuracy       ${(report.accuracy.accuracy * 100).toFixed(1)}% top-1 on ${report.accuracy.labelled} held-out digits (${report.accuracy.correct} correct)` +
      (report.accuracy.confusions.length > 0
        ? `; most confused: ${report.accuracy.confusions
            .slice(0, 3)
            .map((c) => `${c.pair} x${c.count}`)
            .join(', ')}`
        : ''),
    'errors',
    ...(report.errors.length === 0
      ? ['  none']
      : report.errors.map((e) => `  ${e.code.padEnd(18)} ${e.key}: ${e.reason}`)),
    ...facts.batches.flatMap(completionLines),
    'timings',
    ...facts.timings.map(([phase, ms]) => `  ${phase.padEnd(24)} ${seconds(ms)}`),
    `results        ${facts.resultsLocation}`,
    '',
    report.ok
      ? 'RESULT: OK, every file was scored or reported with its reason'
      : `RESULT: FAILED\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
  ];
  return lines.join('\n');
}
