import { Assumptions, CostScenario, costScenario, Thresholds, Workload } from './cost-model';
import { Candidate, candidateScenario, Optimum } from './cost-optimiser';
import { count, duration, markdownTable, percent, usd } from '../report/markdown-table';
import { LineChart } from '../report/svg-line-chart';

/** At most `rows` frontier points, evenly spread, always with the first, last and `keep`. */
export function thinFrontier(
  frontier: readonly Candidate[],
  rows: number,
  keep?: Candidate,
): Candidate[] {
  if (frontier.length <= rows) return [...frontier];
  const step = (frontier.length - 1) / (rows - 1);
  const picked = new Set(Array.from({ length: rows }, (_, i) => frontier[Math.round(i * step)]));
  if (keep) picked.add(keep);
  return frontier.filter((c) => picked.has(c));
}

export function frontierTable(points: readonly Candidate[], recommended?: Candidate): string {
  return markdownTable(
    [
      'Worst latency',
      'Mean latency',
      'Max files',
      'Max wait',
      'Shard',
      'Instance',
      'GPU $/M',
      'Services $/M',
      'Total $/M',
    ],
    points.map((c) => [
      `${c === recommended ? '**' : ''}${duration(c.worstSeconds)}${c === recommended ? '** (recommended)' : ''}`,
      duration(c.meanSeconds),
      count(c.thresholds.maxBatchFiles),
      duration(c.thresholds.maxBatchWaitSeconds),
      count(c.thresholds.shardSize),
      `${c.instanceType} ${c.market}`,
      usd(c.gpuPerMillion),
      usd(c.servicesPerMillion),
      usd(c.costPerMillion),
    ]),
  );
}

/** Cost against worst-case latency along the frontier, with the goal as a reference line. */
export function frontierChart(frontier: readonly Candidate[], goalPerMillion: number): LineChart {
  const points = (value: (c: Candidate) => number) =>
    frontier.map((c) => ({ x: c.worstSeconds / 60, y: value(c) }));
  return {
    title: 'Cheapest settings for each worst-case latency',
    xLabel: 'worst-case upload-to-result latency (minutes)',
    yLabel: 'cost per million images (USD, log)',
    yLog: true,
    series: [
      { name: 'GPU + services', points: points((c) => c.costPerMillion) },
      { name: 'GPU only', points: points((c) => c.gpuPerMillion) },
    ],
    yReference: { value: goalPerMillion, label: `goal ${usd(goalPerMillion)}` },
  };
}

/** Where a setting's GPU dollars go: start-up, scoring and idle shares of its billed time. */
export function gpuBreakdown(
  c: Candidate,
  s: CostScenario,
): { startup: number; scoring: number; idle: number } {
  return {
    startup: c.gpuPerMillion * s.startupShare,
    scoring: c.gpuPerMillion * s.scoringShare,
    idle: c.gpuPerMillion * s.idleShare,
  };
}

export interface GoalCheck {
  readonly label: string;
  readonly baselinePerMillion: number;
  /** The goal is the baseline divided by this. */
  readonly factor: number;
}

function settings(t: Thresholds): string {
  return `max files ${count(t.maxBatchFiles)}, max wait ${duration(t.maxBatchWaitSeconds)} (${t.maxBatchWaitSeconds} s), shard ${count(t.shardSize)}`;
}

/**
 * The recommendation and the goal check in words: the settings, their cost and latency, how
 * the GPU cost splits, the same model at `previous` thresholds, and whether the goal is met;
 * when it is not, which term sets the floor.
 */
export function recommendationSummary(
  optimum: Optimum,
  workload: Workload,
  assumptions: Assumptions,
  previous: Thresholds,
  goal: GoalCheck,
): string {
  const goalPerMillion = goal.baselinePerMillion / goal.factor;
  const bound = duration(optimum.maxWorstSeconds);
  const r = optimum.recommendation;
  const fastest = optimum.frontier[0];
  if (!r) {
    return `No setting of the ${count(optimum.evaluated)} tried has a worst-case latency within ${bound}: the fastest, ${settings(fastest.thresholds)}, takes ${duration(fastest.worstSeconds)} (job placement, the batching window and the sweep are paid whatever the thresholds).`;
  }
  const before = costScenario(workload, previous, assumptions, r.instanceType);
  const beforeCost = before.gpu[r.instanceType];
  const beforeGpu = r.market === 'spot' ? beforeCost.spotPerMillion : beforeCost.onDemandPerMillion;
  const s = candidateScenario(r, workload, assumptions);
  const split = gpuBreakdown(r, s);
  const met = r.gpuPerMillion <= goalPerMillion;
  const terms = [
    ['start-up (boot, image pull, model load)', split.startup],
    ['scoring at the measured rate', split.scoring],
    ['idle before scale-in', split.idle],
  ] as const;
  const largest = [...terms].sort((a, b) => b[1] - a[1])[0];
  return [
    `Of ${count(optimum.evaluated)} settings tried, the cheapest with a worst-case latency within ${bound}: **${settings(r.thresholds)} on ${r.instanceType} ${r.market}**.`,
    '',
    `- Batches close by ${s.closeReason} with ${count(s.filesPerBatch)} files, ${count(s.jobsPerDay)} GPU jobs a day, each ${s.warm ? 'on a warm instance' : 'on a fresh instance'} scoring ${count(s.filesPerJob * workload.recordsPerObject)} records at ${count(s.recordsPerSecond)} records/s.`,
    `- Latency: worst ${duration(r.worstSeconds)}, mean ${duration(r.meanSeconds)}.`,
    `- GPU: **${usd(r.gpuPerMillion)} per million images**: start-up ${usd(split.startup)}, scoring ${usd(split.scoring)}, idle before scale-in ${usd(split.idle)} (${percent(s.startupShare)}, ${percent(s.scoringShare)}, ${percent(s.idleShare)} of billed time); the largest part is ${largest[0]}. With Lambda, SQS, S3, DynamoDB and NAT (${usd(r.servicesPerMillion)}): ${usd(r.costPerMillion)}.`,
    `- The previous defaults (${settings(previous)}) cost ${usd(beforeGpu)} GPU per million in this model, worst latency ${duration(before.latency.worstSeconds)}.`,
    met
      ? `- **Goal met**: ${usd(r.gpuPerMillion)} is within ${usd(goalPerMillion)} (${goal.label}, ${usd(goal.baselinePerMillion)}, divided by ${goal.factor}).`
      : `- **Goal missed**: ${usd(r.gpuPerMillion)} is above ${usd(goalPerMillion)} (${goal.label} ${usd(goal.baselinePerMillion)} / ${goal.factor}). The floor is set by ${largest[0]} (${usd(largest[1])} of it): scoring alone costs ${usd(split.scoring)} per million at ${count(s.recordsPerSecond)} records/s, and every start pays boot, pull and the scale-in idle again, spread over no more files than the latency bound lets one shard gather.`,
  ].join('\n');
}
