import { runCli } from '../../scripts/cli/run-cli';

export interface GbiRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** One `gbi --stack <stackName> ...argv` invocation in this process, its output captured. */
export async function runGbi(stackName: string, ...argv: string[]): Promise<GbiRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--stack', stackName, ...argv], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
