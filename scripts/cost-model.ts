/**
 * Prints the cost model (docs/cost.md explains it) for a workload and batching thresholds:
 *   npx tsx scripts/cost-model.ts [--rate FILES_PER_HOUR] [--max-wait S] [--max-files N] ...
 *   npx tsx scripts/cost-model.ts --optimize --max-latency MINUTES [--rate ...]
 *   npx tsx scripts/cost-model.ts --write      regenerate docs/cost.md and its charts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { costInputs } from './bench/cost-cli-args';
import {
  COST_CHART_FILE,
  costDocument,
  CostInputs,
  CostSections,
  costSections,
  FRONTIER_CHART_FILE,
  GOAL,
} from './bench/cost-doc';
import { assumptionsTable, pricesTable, tradeoffChart } from './bench/cost-report';
import { formatMarkdown } from './bench/format-markdown';
import { frontierChart, frontierTable } from './bench/optimiser-report';
import { renderLineChart } from './bench/svg-line-chart';

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
