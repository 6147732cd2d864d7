/**
 * Prints the cost model (docs/cost.md explains it) for a workload and batching thresholds:
 *   npx tsx scripts/cost-model.ts [--rate FILES_PER_HOUR] [--max-wait S] [--max-files N] ...
 *   npx tsx scripts/cost-model.ts --optimize --max-latency MINUTES [--rate ...]
 *   npx tsx scripts/cost-model.ts --write      regenerate docs/cost.md and its charts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from './bench/cli-args';
import {
  COST_CHART_FILE,
  costDocument,
  CostInputs,
  CostSections,
  costSections,
  DOC_MAX_LATENCY_SECONDS,
  FRONTIER_CHART_FILE,
  GOAL,
} from './bench/cost-doc';
import {
  Assumptions,
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WORKLOAD,
} from './bench/cost-model';
import { assumptionsTable, pricesTable, tradeoffChart } from './bench/cost-report';
import { formatMarkdown } from './bench/format-markdown';
import { constantRate, readMeasuredRates } from './bench/measured-rates';
import { frontierChart, frontierTable } from './bench/optimiser-report';
import { renderLineChart } from './bench/svg-line-chart';

const OPTIONS: Readonly<Record<string, string>> = {
  rate: 'files arriving per hour',
  'object-bytes': 'mean object size in bytes',
  'records-per-object': 'records (images) per object',
  'max-files': 'batch closes at this many files',
  'max-bytes': 'batch closes at this many bytes',
  'max-wait': 'batch closes when its oldest file waited this many seconds',
  'shard-size': 'files per array-job child',
  'max-latency': 'with --optimize: worst-case latency bound in minutes (default 30)',
  boot: 'instance boot seconds (billed)',
  'image-mb': 'worker image size unpacked, MB',
  'image-compressed-share': 'share of the unpacked size its gzip layers take, e.g. 0.45',
  'registry-mbps': 'image fetch rate from ECR, MB/s of compressed layers',
  'inflate-mbps': 'gzip inflate rate, MB/s of compressed layers',
  'disk-mbps': 'root volume write rate, MB/s',
  'jit-seconds': 'PTX JIT seconds on a GPU without matching SASS (billed)',
  'model-load': 'model load seconds (billed)',
  scheduling: 'Batch scheduling seconds (latency only)',
  'idle-seconds': 'idle seconds before scale-in (billed)',
  'images-per-second': 'one rate for every instance and object, instead of the measured table',
  'spot-discount': 'fraction off on-demand for spot, e.g. 0.6',
};

function usage(): string {
  return [
    'usage: npx tsx scripts/cost-model.ts [options] [--optimize] [--write]',
    ...Object.entries(OPTIONS).map(([name, help]) => `  --${name.padEnd(24)} ${help}`),
    `  --${'rates'.padEnd(24)} measured-rates JSON file (default docs/measured-rates.json)`,
    `  --${'optimize'.padEnd(24)} print the recommended thresholds and the cost/latency frontier`,
    `  --${'write'.padEnd(24)} regenerate docs/cost.md and docs/charts/*.svg`,
  ].join('\n');
}

export function costInputs(argv: readonly string[]): {
  inputs: CostInputs;
  write: boolean;
  optimize: boolean;
} {
  const args = parseArgs(argv, {
    numbers: Object.keys(OPTIONS),
    strings: ['rates'],
    flags: ['write', 'optimize', 'help'],
  });
  if (args.flags.has('help')) {
    process.stdout.write(usage() + '\n');
    process.exit(0);
  }
  const n = (name: string, fallback: number) => args.numbers.get(name) ?? fallback;
  const a = DEFAULT_ASSUMPTIONS;
  const perSecond = args.numbers.get('images-per-second');
  const ratesFile = args.strings.get('rates');
  const assumptions: Assumptions = {
    ...a,
    bootSeconds: n('boot', a.bootSeconds),
    imageMegabytes: n('image-mb', a.imageMegabytes),
    imageCompressedShare: n('image-compressed-share', a.imageCompressedShare),
    registryMegabytesPerSecond: n('registry-mbps', a.registryMegabytesPerSecond),
    inflateMegabytesPerSecond: n('inflate-mbps', a.inflateMegabytesPerSecond),
    diskMegabytesPerSecond: n('disk-mbps', a.diskMegabytesPerSecond),
    ptxJitSeconds: n('jit-seconds', a.ptxJitSeconds),
    modelLoadSeconds: n('model-load', a.modelLoadSeconds),
    schedulingSeconds: n('scheduling', a.schedulingSeconds),
    scaleDownIdleSeconds: n('idle-seconds', a.scaleDownIdleSeconds),
    spotDiscount: n('spot-discount', a.spotDiscount),
    rates:
      perSecond !== undefined
        ? constantRate(perSecond, '--images-per-second')
        : ratesFile !== undefined
          ? readMeasuredRates(ratesFile)
          : a.rates,
  };
  return {
    write: args.flags.has('write'),
    optimize: args.flags.has('optimize'),
    inputs: {
      workload: {
        arrivalsPerHour: n('rate', DEFAULT_WORKLOAD.arrivalsPerHour),
        meanObjectBytes: n('object-bytes', DEFAULT_WORKLOAD.meanObjectBytes),
        recordsPerObject: n('records-per-object', DEFAULT_WORKLOAD.recordsPerObject),
      },
      thresholds: {
        maxBatchFiles: n('max-files', DEFAULT_THRESHOLDS.maxBatchFiles),
        maxBatchBytes: n('max-bytes', DEFAULT_THRESHOLDS.maxBatchBytes),
        maxBatchWaitSeconds: n('max-wait', DEFAULT_THRESHOLDS.maxBatchWaitSeconds),
        shardSize: n('shard-size', DEFAULT_THRESHOLDS.shardSize),
      },
      assumptions,
      maxWorstSeconds: n('max-latency', DOC_MAX_LATENCY_SECONDS / 60) * 60,
    },
  };
}

/** Writes docs/cost.md and its charts under `docsDir`; returns the paths and the sections. */
export async function writeCostDocs(
  inputs: CostInputs,
  docsDir: string,
  command: string,
): Promise<{ paths: string[]; sections: CostSections }> {
  const date = new Date().toISOString().slice(0, 10);
  const sections = costSections(inputs);
  const charts = [
    [COST_CHART_FILE, tradeoffChart(sections.waitRows)],
    [
      FRONTIER_CHART_FILE,
      frontierChart(sections.optimum.frontier, GOAL.baselinePerMillion / GOAL.factor),
    ],
  ] as const;
  const written: string[] = [];
  for (const [file, chart] of charts) {
    const path = join(docsDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderLineChart(chart));
    written.push(path);
  }
  const docPath = join(docsDir, 'cost.md');
  writeFileSync(
    docPath,
    await formatMarkdown(costDocument(inputs, command, date, sections), docPath),
  );
  return { paths: [docPath, ...written], sections };
}

async function main(): Promise<void> {
  const { inputs, write, optimize } = costInputs(process.argv.slice(2));
  if (write) {
    const command = 'npx tsx scripts/cost-model.ts --write';
    const { paths } = await writeCostDocs(inputs, join(__dirname, '..', 'docs'), command);
    for (const path of paths) {
      process.stdout.write(`wrote ${path}\n`);
    }
    return;
  }
  const sections = costSections(inputs);
  const body = optimize
    ? [
        '# Cost optimiser',
        sections.recommendation,
        '## Frontier: cost per million images against worst-case latency',
        frontierTable(sections.optimum.frontier, sections.optimum.recommendation),
      ]
    : [
        '# Cost model',
        sections.scenario,
        '## Thresholds: max wait',
        sections.waitTable,
        '## Thresholds: shard size (1,000,000 files/hour)',
        sections.shardTable,
        '## Assumptions',
        assumptionsTable(inputs.assumptions),
        '## Prices',
        pricesTable(),
      ];
  process.stdout.write(body.join('\n\n') + '\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`cost-model: ${(error as Error).message}\n`);
    process.exit(2);
  });
}
