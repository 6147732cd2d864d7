import { count, markdownTable } from '../../report/markdown-table';
import { median } from '../shared/median-rows';
import type { ProbeResult } from './threads-probe';

export interface ThreadSetting {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
}

/** One setting's medians over the sweep's rounds. */
export interface ThreadSummary extends ThreadSetting {
  readonly rounds: number;
  /** Median compute and end-to-end img/s by batch size, in the probe's batch order. */
  readonly rows: readonly {
    readonly batchSize: number;
    readonly compute: number;
    readonly endToEnd: number;
  }[];
  readonly trainSamplesPerSecond: number;
}

const key = (s: ThreadSetting) => `${s.intraOpThreads}/${s.interOpThreads}`;

/** Every setting's median of each rate over the rounds it ran in; settings in first-seen order. */
export function summariseThreads(results: readonly ProbeResult[]): ThreadSummary[] {
  const bySetting = new Map<string, ProbeResult[]>();
  for (const result of results) {
    bySetting.set(key(result), [...(bySetting.get(key(result)) ?? []), result]);
  }
  return [...bySetting.values()].map((runs) => ({
    intraOpThreads: runs[0].intraOpThreads,
    interOpThreads: runs[0].interOpThreads,
    rounds: runs.length,
    rows: runs[0].rows.map(({ batchSize }) => {
      const at = runs.map((r) => r.rows.find((row) => row.batchSize === batchSize));
      return {
        batchSize,
        compute: median(at.map((row) => row?.computeImagesPerSecond ?? NaN)),
        endToEnd: median(at.map((row) => row?.endToEndImagesPerSecond ?? NaN)),
      };
    }),
    trainSamplesPerSecond: median(runs.map((r) => r.trainSamplesPerSecond)),
  }));
}

/**
 * The setting with the highest geometric mean of its rates relative to the best setting's, over
 * every compute rate, every end-to-end rate and training: one number that weighs each measured
 * workload alike.
 */
export function fastestSetting(summaries: readonly ThreadSummary[]): ThreadSummary {
  const metrics = (s: ThreadSummary) => [
    ...s.rows.flatMap((r) => [r.compute, r.endToEnd]),
    s.trainSamplesPerSecond,
  ];
  const best = metrics(summaries[0]).map((_, i) =>
    Math.max(...summaries.map((s) => metrics(s)[i])),
  );
  const score = (s: ThreadSummary) =>
    Math.exp(
      metrics(s).reduce((sum, value, i) => sum + Math.log(value / best[i]), 0) / best.length,
    );
  return summaries.reduce((a, b) => (score(b) > score(a) ? b : a));
}

export function threadsSection(
  summaries: readonly ThreadSummary[],
  command: string,
  date: string,
  machine: string,
  trainBatchSize: number,
): string {
  const batches = summaries[0].rows.map((r) => r.batchSize);
  const chosen = fastestSetting(summaries);
  return [
    `Command: \`${command}\` on ${date}. Machine: ${machine}. The worker's compute and end-to-end paths on **tfjs-node** (as under Peers: the default digit model loaded through resolveModel + loadScorer, median call of repeated calls) and training samples/s (fitModel, batch ${trainBatchSize}, median of repeated epochs after a warm-up), one process per setting because TensorFlow reads TF_NUM_INTRAOP_THREADS and TF_NUM_INTEROP_THREADS once, when the binding creates its context. The settings run in turn, round after round, so load on the shared machine falls on all of them; each cell is the median over ${summaries[0].rounds} rounds.`,
    '',
    markdownTable(
      [
        'Intra-op / inter-op',
        ...batches.map((b) => `Compute b${b} img/s`),
        ...batches.map((b) => `End to end b${b} img/s`),
        `Training b${trainBatchSize} samples/s`,
      ],
      summaries.map((s) => [
        `${s.intraOpThreads} / ${s.interOpThreads}`,
        ...s.rows.map((r) => count(r.compute)),
        ...s.rows.map((r) => count(r.endToEnd)),
        count(s.trainSamplesPerSecond),
      ]),
    ),
    '',
    `Fastest over all of these (the highest geometric mean of each rate relative to the best setting's): **intra-op ${chosen.intraOpThreads} / inter-op ${chosen.interOpThreads}**.`,
  ].join('\n');
}
