/**
 * `train --model <name>`: the retrain job's entry point (TRAIN_COMMAND in
 * lib/contracts/job-contract.ts). Returns the process exit code.
 */
export async function runTrainCommand(argv: string[]): Promise<number> {
  const modelIndex = argv.indexOf('--model');
  const model = modelIndex >= 0 ? argv[modelIndex + 1] : undefined;
  if (!model) {
    process.stderr.write('train: missing --model <name>\n');
    return 2;
  }
  process.stderr.write(`train: training of '${model}' is not wired yet\n`);
  return 1;
}
