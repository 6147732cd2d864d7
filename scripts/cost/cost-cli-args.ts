import { parseArgs } from '../shared/cli-args';
import { CostInputs, DOC_MAX_LATENCY_SECONDS } from './cost-doc';
import {
  Assumptions,
  DEFAULT_ASSUMPTIONS,
  DEFAULT_THRESHOLDS,
  DEFAULT_WORKLOAD,
} from './cost-model';
import { constantRate, readMeasuredRates } from './measured-rates';

/** The options of scripts/cost-model.ts: workload, thresholds and every stated assumption. */
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

export function usage(): string {
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
