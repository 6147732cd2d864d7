export type DataIssueKind = 'unreadable' | 'missing-label' | 'unknown-label' | 'unsupported-file';

const EXAMPLES_PER_KIND = 5;

/**
 * Counts bad training data by kind and keeps the first few messages of each as examples;
 * every message also goes to `log` (the job's stderr, i.e. CloudWatch Logs), so nothing
 * skipped goes unreported.
 */
export class DataIssues {
  private readonly counts: Record<DataIssueKind, number> = {
    unreadable: 0,
    'missing-label': 0,
    'unknown-label': 0,
    'unsupported-file': 0,
  };
  private readonly examples: Record<DataIssueKind, string[]> = {
    unreadable: [],
    'missing-label': [],
    'unknown-label': [],
    'unsupported-file': [],
  };

  constructor(private readonly log: (line: string) => void) {}

  add(kind: DataIssueKind, message: string): void {
    this.counts[kind] += 1;
    if (this.examples[kind].length < EXAMPLES_PER_KIND) this.examples[kind].push(message);
    this.log(JSON.stringify({ level: 'warn', event: 'skipped-data', kind, message }));
  }

  total(): number {
    return Object.values(this.counts).reduce((sum, count) => sum + count, 0);
  }

  summary(): { counts: Record<DataIssueKind, number>; examples: Record<DataIssueKind, string[]> } {
    return { counts: { ...this.counts }, examples: structuredClone(this.examples) };
  }
}
