/**
 * Prints the cost model (docs/cost.md explains it) for a workload and batching thresholds:
 *   npx tsx scripts/cost-model.ts [--rate FILES_PER_HOUR] [--max-wait S] [--max-files N] ...
 *   npx tsx scripts/cost-model.ts --optimize --max-latency MINUTES [--rate ...]
 *   npx tsx scripts/cost-model.ts --write      regenerate docs/cost.md and its charts
 */
import { join } from 'node:path';
import { costInputs } from './cost/cost-cli-args';
import { costSections } from './cost/cost-doc';
import { assumptionsTable, pricesTable } from './cost/cost-report';
import { frontierTable } from './cost/optimiser-report';
import { writeCostDocs } from './cost/write-cost-docs';

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
