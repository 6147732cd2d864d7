/**
 * Prints the cost model (docs/cost.md explains it) for a workload and batching thresholds:
 *   npx tsx scripts/cost-model.ts [--rate FILES_PER_HOUR] [--max-wait S] [--max-files N] ...
 *   npx tsx scripts/cost-model.ts --write      regenerate docs/cost.md and its chart
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from './bench/cli-args';
import { COST_CHART_FILE, costDocument, CostInputs, costSections } from './bench/cost-doc';
import {
  Assumptions,
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WORKLOAD,
} from './bench/cost-model';
import { GPU_INSTANCE_TYPES } from './bench/cost-prices';
import { assumptionsTable, pricesTable, tradeoffChart } from './bench/cost-report';
import { formatMarkdown } from './bench/format-markdown';
import { renderLineChart } from './bench/svg-line-chart';

const OPTIONS: Readonly<Record<string, string>> = {
  rate: 'files arriving per hour',
  'object-bytes': 'mean object size in bytes',
  'max-files': 'batch closes at this many files',
  'max-bytes': 'batch closes at this many bytes',
  'max-wait': 'batch closes when its oldest file waited this many seconds',
  'shard-size': 'files per array-job child',
  boot: 'instance boot seconds (billed)',
  'image-pull': 'worker image pull seconds (billed)',
  'model-load': 'model load seconds (billed)',
  scheduling: 'Batch scheduling seconds (latency only)',
  'idle-seconds': 'idle seconds before scale-in (billed)',
  'images-per-second': 'images one GPU instance scores per second (all types)',
  'spot-discount': 'fraction off on-demand for spot, e.g. 0.6',
};

function usage(): string {
  return [
    'usage: npx tsx scripts/cost-model.ts [options] [--write]',
    ...Object.entries(OPTIONS).map(([name, help]) => `  --${name.padEnd(18)} ${help}`),
    '  --write              regenerate docs/cost.md and docs/charts/cost-vs-latency.svg',
  ].join('\n');
}

export function costInputs(argv: readonly string[]): { inputs: CostInputs; write: boolean } {
  const args = parseArgs(argv, { numbers: Object.keys(OPTIONS), flags: ['write', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(usage() + '\n');
    process.exit(0);
  }
  const n = (name: string, fallback: number) => args.numbers.get(name) ?? fallback;
  const a = DEFAULT_ASSUMPTIONS;
  const perSecond = args.numbers.get('images-per-second');
  const assumptions: Assumptions = {
    ...a,
    bootSeconds: n('boot', a.bootSeconds),
    imagePullSeconds: n('image-pull', a.imagePullSeconds),
    modelLoadSeconds: n('model-load', a.modelLoadSeconds),
    schedulingSeconds: n('scheduling', a.schedulingSeconds),
    scaleDownIdleSeconds: n('idle-seconds', a.scaleDownIdleSeconds),
    spotDiscount: n('spot-discount', a.spotDiscount),
    imagesPerSecond:
      perSecond === undefined
        ? a.imagesPerSecond
        : (Object.fromEntries(
            GPU_INSTANCE_TYPES.map((type) => [type, perSecond]),
          ) as Assumptions['imagesPerSecond']),
  };
  return {
    write: args.flags.has('write'),
    inputs: {
      workload: {
        arrivalsPerHour: n('rate', DEFAULT_WORKLOAD.arrivalsPerHour),
        meanObjectBytes: n('object-bytes', DEFAULT_WORKLOAD.meanObjectBytes),
      },
      thresholds: {
        maxBatchFiles: n('max-files', DEFAULT_THRESHOLDS.maxBatchFiles),
        maxBatchBytes: n('max-bytes', DEFAULT_THRESHOLDS.maxBatchBytes),
        maxBatchWaitSeconds: n('max-wait', DEFAULT_THRESHOLDS.maxBatchWaitSeconds),
        shardSize: n('shard-size', DEFAULT_THRESHOLDS.shardSize),
      },
      assumptions,
    },
  };
}

/** Writes docs/cost.md and its chart under `docsDir`; returns the paths written. */
export async function writeCostDocs(
  inputs: CostInputs,
  docsDir: string,
  command: string,
): Promise<string[]> {
  const date = new Date().toISOString().slice(0, 10);
  const chartPath = join(docsDir, COST_CHART_FILE);
  mkdirSync(dirname(chartPath), { recursive: true });
  writeFileSync(chartPath, renderLineChart(tradeoffChart(costSections(inputs).waitRows)));
  const docPath = join(docsDir, 'cost.md');
  writeFileSync(docPath, await formatMarkdown(costDocument(inputs, command, date), docPath));
  return [docPath, chartPath];
}

async function main(): Promise<void> {
  const { inputs, write } = costInputs(process.argv.slice(2));
  if (write) {
    const command = 'npx tsx scripts/cost-model.ts --write';
    for (const path of await writeCostDocs(inputs, join(__dirname, '..', 'docs'), command)) {
      process.stdout.write(`wrote ${path}\n`);
    }
    return;
  }
  const sections = costSections(inputs);
  process.stdout.write(
    [
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
    ].join('\n\n') + '\n',
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`cost-model: ${(error as Error).message}\n`);
    process.exit(2);
  });
}
