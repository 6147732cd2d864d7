/**
 * `npm run demo`: the whole pipeline on this machine, on the emulator, with no AWS account and
 * no Docker. Prints live progress on stderr and the summary on stdout; exits 1 if anything
 * went wrong, 2 for bad arguments.
 *
 *   npm run demo [-- --images 300 --train-per-digit 100 --epochs 3 --shard-size 100]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SIZE, DemoSize } from './demo/demo-config';
import { formatDemoReport } from './demo/demo-report';
import { runDemo } from './demo/run-demo';

const USAGE = `usage: npm run demo [-- --images N --train-per-digit N --epochs N --shard-size N --min-accuracy F]
Runs the pipeline end to end on a local emulator (or the one at AWS_ENDPOINT_URL).`;

function positive(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `--${name}: expected a positive ${integer ? 'integer' : 'number'}, got '${raw}'`,
    );
  }
  return value;
}

function parseSize(argv: string[]): DemoSize | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      images: { type: 'string' },
      'train-per-digit': { type: 'string' },
      epochs: { type: 'string' },
      'shard-size': { type: 'string' },
      'min-accuracy': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  return {
    images: positive('images', values.images, DEFAULT_DEMO_SIZE.images),
    trainPerDigit: positive(
      'train-per-digit',
      values['train-per-digit'],
      DEFAULT_DEMO_SIZE.trainPerDigit,
    ),
    epochs: positive('epochs', values.epochs, DEFAULT_DEMO_SIZE.epochs),
    shardSize: positive('shard-size', values['shard-size'], DEFAULT_DEMO_SIZE.shardSize),
    minAccuracy: positive(
      'min-accuracy',
      values['min-accuracy'],
      DEFAULT_DEMO_SIZE.minAccuracy,
      false,
    ),
  };
}

async function main(): Promise<number> {
  let size: DemoSize | undefined;
  try {
    size = parseSize(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!size) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const workDirectory = join(
    __dirname,
    '..',
    '.emulator',
    `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`,
  );
  const report = await runDemo({
    size,
    workDirectory,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatDemoReport(report)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
