import { Assumptions, CostScenario, costScenario, Thresholds, Workload } from './cost-model';
import { coldStart } from './startup-model';
import {
  GPU_INSTANCE_TYPES,
  GPU_PRICES,
  PRICES_CHECKED_ON,
  SERVICE_PRICES,
  TYPICAL_SPOT_DISCOUNT,
} from './cost-prices';
import { count, duration, markdownTable, percent, sig, usd } from '../report/markdown-table';
import { DEFAULT_CONFIG } from '../../lib/config/pipeline-config';
import { LineChart } from '../report/svg-line-chart';

export const SWEEP_RATES_PER_HOUR = [1_000, 10_000, 100_000, 1_000_000] as const;
export const SWEEP_WAIT_SECONDS = [60, 300, 900, 3600] as const;
export const SWEEP_SHARD_SIZES = [1_000, 5_000, 20_000, 100_000] as const;

export function pricesTable(): string {
  const gpuRows = GPU_INSTANCE_TYPES.map((type) => {
    const price = GPU_PRICES[type].onDemandPerHour;
    return [
      `EC2 ${type} (${GPU_PRICES[type].gpu})`,
      `${usd(price.usd)} on-demand, ${usd(price.usd * (1 - TYPICAL_SPOT_DISCOUNT.usd))} spot (assumed)`,
      price.unit,
      price.source,
    ];
  });
  const serviceRows = Object.values(SERVICE_PRICES).map((price) => [
    '',
    `$${price.usd}`,
    price.unit,
    price.source,
  ]);
  const names = [
    'Lambda requests',
    'Lambda duration',
    'SQS',
    'S3 PUT',
    'S3 GET',
    'DynamoDB writes',
    'DynamoDB reads',
    'NAT gateway',
  ];
  serviceRows.forEach((row, i) => (row[0] = names[i]));
  return (
    `Prices: us-east-1, looked up ${PRICES_CHECKED_ON}. Spot: ${percent(TYPICAL_SPOT_DISCOUNT.usd)} off on-demand, ` +
    `an ${TYPICAL_SPOT_DISCOUNT.source}.\n\n` +
    markdownTable(['Item', 'Price', 'Unit', 'Source'], [...gpuRows, ...serviceRows])
  );
}

export function assumptionsTable(a: Assumptions): string {
  return markdownTable(
    ['Assumption', 'Value', 'Why'],
    [
      [
        'Instance boot (billed)',
        `${a.bootSeconds} s`,
        'ECS-optimised GPU AMI from running to the agent taking a job',
      ],
      [
        'Worker image (GPU variant)',
        `${count(a.imageMegabytes)} MB unpacked, ${percent(a.imageCompressedShare)} of it on the wire`,
        'size measured in container.md; the gzip share is assumed (CUDA libraries compress about 2:1)',
      ],
      [
        'Image pull stages',
        `fetch ${a.registryMegabytesPerSecond} MB/s, inflate ${a.inflateMegabytesPerSecond} MB/s, disk ${a.diskMegabytesPerSecond} MB/s`,
        'containerd issue 13559: a 2.7 GiB TensorFlow 2.21 GPU layer fetched to EC2 in about 15 s and inflated by Go gzip on one core in 30-35 s; disk: the gp3 root volume baseline, 125 MiB/s (docs.aws.amazon.com/ebs, gp3 volumes)',
      ],
      [
        'Image pull (billed)',
        `${sig(coldStart(a, 'g4dn.xlarge').pullSeconds)} s`,
        'stages stream together, so the slowest sets the time: max(compressed / fetch, compressed / inflate, unpacked / disk)',
      ],
      [
        'PTX JIT (billed)',
        GPU_INSTANCE_TYPES.map((t) => `${t} ${coldStart(a, t).jitSeconds} s`).join(', '),
        `the image has SASS for sm_${a.imageSass.join('/')} (container.md), which the T4, A10G and L4 run as is; ${a.ptxJitSeconds} s would be paid by a GPU with PTX only`,
      ],
      ['Model load (billed)', `${a.modelLoadSeconds} s`, 'model from S3 plus warm-up record'],
      [
        'Scheduling (latency only)',
        `${a.schedulingSeconds} s`,
        'Batch placement and EC2 capacity before the instance runs',
      ],
      [
        'Warm placement (latency only)',
        `${a.warmSchedulingSeconds} s`,
        'Batch placing a job on an instance already running',
      ],
      [
        'Idle before scale-in (billed)',
        `${a.scaleDownIdleSeconds} s`,
        'assumed: a managed compute environment scales in idle instances after a few minutes',
      ],
      ...a.rates.rows.map((row) => [
        `Records/s per instance${row.instanceType ? ` (${row.instanceType})` : ''}`,
        `${count(row.recordsPerSecond)} at ${count(row.objectBytes)} bytes, ${count(row.recordsPerObject)} record(s) per object`,
        `measured: ${row.source}`,
      ]),
      ['Spot discount', percent(a.spotDiscount), 'typical GPU spot discount (see prices)'],
      [
        'Batcher sweep period',
        `${a.sweepPeriodSeconds} s`,
        'the once-a-minute schedule that closes expired batches',
      ],
      [
        'Batcher duration',
        `${a.lambdaBaseMs} ms + ${a.lambdaPerMessageMs} ms/message`,
        `${a.batcherMemoryMiB} MiB, DynamoDB writes in parallel`,
      ],
      [
        'SQS idle pollers',
        `${a.sqsIdlePollers}`,
        'the event source long-polls (20 s) even when idle',
      ],
      [
        'DynamoDB per file',
        `${a.dynamoWritesPerFile} writes, ${a.dynamoReadsPerFile} read`,
        'buffer put, then read + delete when the batch closes',
      ],
      [
        'S3 per shard',
        `${a.s3PutsPerShard} PUTs, ${a.s3GetsPerShard} GETs`,
        'results/errors/summary/checkpoints; manifest/model',
      ],
      [
        'NAT gateways',
        `${a.natGateways}`,
        'the GPU VPC keeps one; layers and inputs use the S3 gateway endpoint',
      ],
    ],
  );
}

/** The compute environment's instance limit: max vCPUs over the 4 vCPUs each job takes. */
const MAX_INSTANCES = DEFAULT_CONFIG.maxVcpus / DEFAULT_CONFIG.inferVcpus;

export function scenarioTable(scenario: CostScenario): string {
  return markdownTable(
    [
      'Instance',
      'Spot $/M images',
      'On-demand $/M images',
      'Spot $/day',
      `Mean instances up (limit ${MAX_INSTANCES})`,
    ],
    GPU_INSTANCE_TYPES.map((type) => {
      const g = scenario.gpu[type];
      return [
        type,
        usd(g.spotPerMillion),
        usd(g.onDemandPerMillion),
        usd(g.spotPerDay),
        sig(g.meanInstances),
      ];
    }),
  );
}

export function scenarioSummary(
  workload: Workload,
  thresholds: Thresholds,
  s: CostScenario,
): string {
  const services = s.services;
  return [
    `Workload: ${count(workload.arrivalsPerHour)} files/hour (${count(s.filesPerDay)} a day), ${count(workload.meanObjectBytes)} bytes and ${count(workload.recordsPerObject)} record(s) each, scored at ${count(s.recordsPerSecond)} records/s per instance (measured rates). ` +
      `Thresholds: max ${count(thresholds.maxBatchFiles)} files, ${count(thresholds.maxBatchBytes)} bytes, ${duration(thresholds.maxBatchWaitSeconds)} wait; shard ${count(thresholds.shardSize)} files.`,
    '',
    `- Batches close by **${s.closeReason}** with ${count(s.filesPerBatch)} files: ${count(s.batchesPerDay)} batches and **${count(s.jobsPerDay)} GPU jobs a day** (${count(s.filesPerJob)} files each).`,
    `- Billed per job on g4dn.xlarge: ${duration(s.billedSecondsPerJob)}, ${s.warm ? 'on warm instances (the next batch comes before scale-in: no boot or image pull)' : 'each on a fresh instance (boot + image pull)'}; ` +
      `**start-up is ${percent(s.startupShare)} of billed GPU time**, idle ${percent(s.idleShare)}, scoring ${percent(s.scoringShare)}.`,
    `- Latency upload-to-result: mean ${duration(s.latency.meanSeconds)}, worst ${duration(s.latency.worstSeconds)} (accumulate ${duration(s.latency.accumulateMeanSeconds)} mean, job start ${duration(s.latency.jobStartSeconds)}, inference ${duration(s.latency.inferenceSeconds)}).`,
    `- Beside the GPUs, per million images: **${usd(services.perMillion)}** (Lambda ${usd(services.lambdaPerDay)}, SQS ${usd(services.sqsPerDay)}, S3 ${usd(services.s3PerDay)}, DynamoDB ${usd(services.dynamoPerDay)}, NAT gateway ${usd(services.natPerDay)} a day).`,
    '',
    scenarioTable(s),
  ].join('\n');
}

export interface SweepRow {
  readonly rate: number;
  readonly label: string;
  readonly thresholds: Thresholds;
  readonly scenario: CostScenario;
}

export function waitSweep(base: Thresholds, workload: Workload, a: Assumptions): SweepRow[] {
  return SWEEP_RATES_PER_HOUR.flatMap((rate) =>
    SWEEP_WAIT_SECONDS.map((wait) => {
      const thresholds = { ...base, maxBatchWaitSeconds: wait };
      return {
        rate,
        label: `wait ${duration(wait)}`,
        thresholds,
        scenario: costScenario({ ...workload, arrivalsPerHour: rate }, thresholds, a),
      };
    }),
  );
}

export function shardSweep(base: Thresholds, workload: Workload, a: Assumptions): SweepRow[] {
  const rate = 1_000_000;
  return SWEEP_SHARD_SIZES.map((shardSize) => {
    const thresholds = {
      ...base,
      shardSize,
      maxBatchFiles: Math.max(base.maxBatchFiles, shardSize),
    };
    return {
      rate,
      label: `shard ${count(shardSize)}`,
      thresholds,
      scenario: costScenario({ ...workload, arrivalsPerHour: rate }, thresholds, a),
    };
  });
}

export function sweepTable(rows: readonly SweepRow[]): string {
  return markdownTable(
    [
      'Files/hour',
      'Max wait',
      'Max files',
      'Shard',
      'Files/batch',
      'Closes by',
      'GPU jobs/day',
      'Instances',
      'Start-up share',
      'Idle share',
      'g4dn spot $/M',
      'g4dn on-demand $/M',
      'Lambda+SQS+S3+DDB+NAT $/M',
      'Mean latency',
      'Worst latency',
    ],
    rows.map(({ rate, thresholds: t, scenario: s }) => [
      count(rate),
      duration(t.maxBatchWaitSeconds),
      count(t.maxBatchFiles),
      count(t.shardSize),
      count(s.filesPerBatch),
      s.closeReason,
      count(s.jobsPerDay),
      s.warm ? 'warm' : 'cold',
      percent(s.startupShare),
      percent(s.idleShare),
      usd(s.gpu['g4dn.xlarge'].spotPerMillion),
      usd(s.gpu['g4dn.xlarge'].onDemandPerMillion),
      usd(s.services.perMillion),
      duration(s.latency.meanSeconds),
      duration(s.latency.worstSeconds),
    ]),
  );
}

type ChartPoint = { x: number; y: number; label: string };

/** Settings that land on the same point share it, their labels joined. */
function mergeCoincident(points: readonly ChartPoint[]): ChartPoint[] {
  const merged: ChartPoint[] = [];
  for (const point of points) {
    const same = merged.find(
      (p) => Math.abs(p.x - point.x) < 1e-9 * p.x && Math.abs(p.y - point.y) < 1e-9 * p.y,
    );
    if (same) same.label = `${same.label}, ${point.label}`;
    else merged.push({ ...point });
  }
  return merged;
}

/** Cost against latency, one line per arrival rate, one point per max-wait setting. */
export function tradeoffChart(rows: readonly SweepRow[]): LineChart {
  return {
    title: 'Batching thresholds: cost vs latency (g4dn.xlarge spot)',
    xLabel: 'mean upload-to-result latency (minutes)',
    yLabel: 'GPU cost per million images (USD, log)',
    yLog: true,
    xLog: true,
    series: SWEEP_RATES_PER_HOUR.map((rate) => ({
      name: `${count(rate)} files/h`,
      points: mergeCoincident(
        rows
          .filter((row) => row.rate === rate)
          .map((row) => ({
            x: row.scenario.latency.meanSeconds / 60,
            y: row.scenario.gpu['g4dn.xlarge'].spotPerMillion,
            label: row.label.replace('wait ', ''),
          })),
      ),
    })),
  };
}
