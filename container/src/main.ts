import { checkNative } from './backend/check-native';
import { runInferCommand } from './infer/infer-command';
import { log } from './log';
import { runTrainCommand } from './train/train-command';

const USAGE =
  'usage: main <infer --manifest s3://bucket/key [--shard N] | train --model NAME | check-native [--variant cpu|gpu]>';

/** The worker's entry point: the container's ENTRYPOINT, with the job's command appended. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'infer':
      return runInferCommand(rest, log);
    case 'train':
      return runTrainCommand(rest);
    case 'check-native':
      return checkNative(rest, log);
    default:
      log(`unknown command '${command ?? ''}'; ${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`worker crashed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
