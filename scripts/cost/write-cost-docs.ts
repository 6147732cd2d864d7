import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  COST_CHART_FILE,
  costDocument,
  CostInputs,
  CostSections,
  costSections,
  FRONTIER_CHART_FILE,
  GOAL,
} from './cost-doc';
import { tradeoffChart } from './cost-report';
import { formatMarkdown } from '../report/format-markdown';
import { frontierChart } from './optimiser-report';
import { renderLineChart } from '../report/svg-line-chart';

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
