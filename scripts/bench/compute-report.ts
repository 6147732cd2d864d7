import { DIGITS_CNN } from '../../container/src/train/architecture';
import type { ComputeBenchResult, PeerRun } from './compute-bench';
import { count, markdownTable, percent, sig } from './markdown-table';
import type { LineChart } from './svg-line-chart';

export const PEERS_CHART_FILE = 'charts/peers-throughput.svg';
export const LIMIT_CHART_FILE = 'charts/physical-limit.svg';

/** ours / peer at each batch size, for compute-only and end to end. */
export interface PeerRatio {
  readonly peer: string;
  readonly batchSize: number;
  readonly compute: number;
  readonly endToEnd: number;
}

/** The default digit model's layers in words, e.g. `conv 5x5x16, pool, ..., dense 10`. */
function digitsModelLayers(): string {
  if (DIGITS_CNN.kind !== 'cnn') return DIGITS_CNN.kind;
  const { kernelSize: k, dropout } = DIGITS_CNN;
  return [
    ...DIGITS_CNN.convFilters.map((filters) => `conv ${k}x${k}x${filters}, pool`),
    ...DIGITS_CNN.denseUnits.map(
      (units) => `dense ${units}${dropout > 0 ? ` + dropout ${dropout}` : ''}`,
    ),
    'dense 10',
  ].join(', ');
}

export function peerRatios(result: ComputeBenchResult): PeerRatio[] {
  return result.peers.flatMap((peer) =>
    result.ours.flatMap((ours) => {
      const theirs = peer.result.rows.find((row) => row.batchSize === ours.batchSize);
      return theirs === undefined
        ? []
        : [
            {
              peer: peer.label,
              batchSize: ours.batchSize,
              compute: ours.computeImagesPerSecond / theirs.computeImagesPerSecond,
              endToEnd: ours.endToEndImagesPerSecond / theirs.endToEndImagesPerSecond,
            },
          ];
    }),
  );
}

const ratio = (value: number) => `${value.toFixed(2)}x`;

function peerTable(result: ComputeBenchResult, peer: PeerRun): string {
  return markdownTable(
    [
      'Batch',
      'Ours compute img/s',
      'Peer compute img/s',
      'Ratio compute',
      'Ours end-to-end img/s',
      'Peer end-to-end img/s',
      'Ratio end to end',
    ],
    result.ours.map((ours) => {
      const theirs = peer.result.rows.find((row) => row.batchSize === ours.batchSize);
      return [
        String(ours.batchSize),
        count(ours.computeImagesPerSecond),
        theirs ? count(theirs.computeImagesPerSecond) : 'n/a',
        theirs ? ratio(ours.computeImagesPerSecond / theirs.computeImagesPerSecond) : 'n/a',
        count(ours.endToEndImagesPerSecond),
        theirs ? count(theirs.endToEndImagesPerSecond) : 'n/a',
        theirs ? ratio(ours.endToEndImagesPerSecond / theirs.endToEndImagesPerSecond) : 'n/a',
      ];
    }),
  );
}

function oursOnlyTable(result: ComputeBenchResult): string {
  return markdownTable(
    ['Batch', 'Ours compute img/s', 'Ours end-to-end img/s'],
    result.ours.map((row) => [
      String(row.batchSize),
      count(row.computeImagesPerSecond),
      count(row.endToEndImagesPerSecond),
    ]),
  );
}

function profileSection(result: ComputeBenchResult): string {
  const p = result.profile;
  return [
    `Profile of one model call at batch ${p.batchSize} on our side (tf.profile kernel times; wall ${sig(p.wallMilliseconds)} ms, one call, and tf.profile's own bookkeeping counts as outside kernels):`,
    '',
    markdownTable(
      ['Kernel', 'ms', 'Share of wall time'],
      [
        ...p.kernels
          .filter((k) => k.share >= 0.005)
          .map((k) => [k.kernel, sig(k.milliseconds), percent(k.share)]),
        [
          '(outside kernels: tensor creation, dispatch, reading scores)',
          '',
          percent(p.overheadShare),
        ],
      ],
    ),
  ].join('\n');
}

/** How end-to-end time per image compares with the model call alone, at the largest batch. */
/** Share of end-to-end time outside the model call at the largest batch. */
function decodeFraction(result: ComputeBenchResult): number {
  const row = result.ours[result.ours.length - 1];
  return 1 - row.endToEndImagesPerSecond / row.computeImagesPerSecond;
}

function decodeRemedy(result: ComputeBenchResult): string {
  return decodeFraction(result) < 0.2
    ? 'Decoding overlaps the model call and is not where the gap is; the model call is.'
    : "What would close it: a native PNG/JPEG decoder (sharp or the native backend's tf.node.decodeImage in the container image), or more decode threads on instances with more cores.";
}

function decodeShare(result: ComputeBenchResult): string {
  const row = result.ours[result.ours.length - 1];
  const e2eMs = 1000 / row.endToEndImagesPerSecond;
  const computeMs = 1000 / row.computeImagesPerSecond;
  return `At batch ${row.batchSize} an image takes ${sig(e2eMs)} ms end to end against ${sig(computeMs)} ms in the model call alone, so decoding and preprocessing are ${percent(decodeFraction(result))} of it.`;
}

/** The best share of the backend peak, and how the peer's one-thread peak compares with it. */
function ceilingNote(result: ComputeBenchResult): string {
  const best = Math.max(...peakFractions(result).map((f) => f.fraction));
  const ours = result.peaks.find((p) => p.backend === result.backend)?.gflops ?? NaN;
  const peer = result.peers.find((p) => p.result.intraOpThreads === 1)?.result.matmulGflops;
  const comparison =
    peer === undefined
      ? ''
      : ` The ceiling itself is where the peer pulls ahead: TensorFlow's matrix multiply on one thread of the same CPU reaches ${sig(peer)} GFLOP/s, ${ratio(peer / ours)} the ${result.backend} peak (native kernels on the widest vector units the CPU has, against 128-bit wasm SIMD): at the same efficiency one thread of ours does about ${ratio(ours / peer)} of the peer's work.`;
  return `At best the model uses ${percent(best)} of the ${result.backend} peak.${comparison}`;
}

function gapAnalysis(result: ComputeBenchResult, ratios: readonly PeerRatio[]): string {
  const slower = ratios.filter((r) => r.compute < 1 || r.endToEnd < 1);
  if (ratios.length === 0) return '';
  if (slower.length === 0) {
    return '**Goal met**: our worker is at least as fast as every peer run at every batch size, compute-only and end to end.';
  }
  const conv = result.profile.kernels
    .filter((k) => /conv/i.test(k.kernel))
    .reduce((sum, k) => sum + k.share, 0);
  const worstCompute = Math.min(...ratios.map((r) => r.compute));
  const bestCompute = ratios.reduce((a, b) => (b.compute > a.compute ? b : a));
  const worstComputeRatio = ratios.reduce((a, b) => (b.compute < a.compute ? b : a));
  const worstE2e = Math.min(...ratios.map((r) => r.endToEnd));
  return [
    `**Goal not met** at ${slower.length} of ${ratios.length} peer/batch combinations (lowest ratio: compute ${ratio(worstCompute)}, end to end ${ratio(worstE2e)}). Where the time goes, and what would close the gap:`,
    '',
    `- **Convolution kernels**: ${percent(conv)} of a batch-${result.profile.batchSize} call is spent in the convolutions, which already run at up to ${percent(Math.max(...peakFractions(result).map((f) => f.fraction)))} of the ${result.backend} backend's matmul peak (see Physical limit). The wasm backend runs them on ${result.wasmThreads} thread (tfjs-backend-wasm does not start its thread pool under Node), with XNNPACK SIMD kernels; TensorFlow runs oneDNN kernels built for the CPU's widest vector units, and with its default threads on every core. Closing it: the container image's native backend (tfjs-node-gpu, the same libtensorflow kernels as the peer, on the GPU), and on CPU-only hosts one worker process per core (each wasm worker is single-threaded) or tfjs-node.`,
    `- **Per-call overhead** (${percent(result.profile.overheadShare)} of the call outside kernels at batch ${result.profile.batchSize}): building the input tensor from per-record arrays, kernel dispatch through tfjs, and reading the scores back. Mini-batches amortise it on both sides. Our compute ratio is highest at batch ${bestCompute.batchSize} (${ratio(bestCompute.compute)} against ${bestCompute.peer}) and lowest at batch ${worstComputeRatio.batchSize} (${ratio(worstComputeRatio.compute)} against ${worstComputeRatio.peer}): once overhead is amortised, the kernels above decide.`,
    `- **End to end**, decoding runs in JavaScript (the worker's own PNG decoder over Node's zlib, pngjs for 16-bit and interlaced PNGs, jpeg-js) on ${result.decodeThreads} decode thread${result.decodeThreads === 1 ? '' : 's'} beside the model thread (the worker's default, cores - 1), while TensorFlow decodes in C++ inside its graph on its own thread pool. ${decodeShare(result)} ${decodeRemedy(result)}`,
  ].join('\n');
}

export function peersSection(
  result: ComputeBenchResult,
  command: string,
  date: string,
  machine: string,
): string {
  const ratios = peerRatios(result);
  const lines = [
    `Command: \`${command}\` on ${date}. Machine: ${machine}. Node ${result.nodeVersion}, TensorFlow.js ${result.tfjsVersion} on the **${result.backend}** backend (${result.wasmThreads} thread, SIMD).`,
    '',
    `Method: the default digit model (container/src/train/architecture.ts, DIGITS_CNN: ${digitsModelLayers()}) with seeded random weights, registered in the emulator and loaded through the worker (resolveModel + loadScorer); random weights cost the same to run as trained ones. Inputs: 256 real MNIST digits as PNGs. *Compute* times the worker's Scorer.score on ready float inputs; *end to end* times PNG bytes in memory to top-3 predictions (decode and preprocess on the worker's decode threads, overlapped with the model call as in the worker, then top-k). Each rate comes from the median call of repeated calls (after one warm-up call) run for at least the plan's minimum time: the machine is shared with other work, and the median ignores the calls it preempts. The peer rebuilds the same layers in Keras, loads the same weights (exported from tfjs), checks its scores against ours, and times the same work the same way (\`tf.function\` model call; end to end \`tf.io.decode_png\` + resize + model + \`tf.math.top_k\` in one graph). Ratio = ours / peer: above 1 means our worker is faster.`,
    '',
  ];
  if (result.peers.length === 0) {
    lines.push(
      `**Peer skipped**: ${result.peerSkipReason ?? 'no peer run'}.`,
      '',
      oursOnlyTable(result),
    );
  } else {
    for (const peer of result.peers) {
      lines.push(
        `### vs ${peer.label}`,
        '',
        `Python ${peer.result.pythonVersion}, intra-op threads ${peer.result.intraOpThreads}, inter-op threads ${peer.result.interOpThreads} (0 = TensorFlow's default: all ${peer.result.cpuCount} cores). Same scores: max |difference| ${peer.result.maxAbsDiff.toExponential(1)}.`,
        '',
        peerTable(result, peer),
        '',
      );
    }
    lines.push(
      `![Throughput against batch size](${PEERS_CHART_FILE})`,
      '',
      gapAnalysis(result, ratios),
    );
  }
  lines.push('', profileSection(result));
  return lines.join('\n');
}

export function peersChart(result: ComputeBenchResult): LineChart {
  return {
    title: 'Images per second by batch size (higher is better)',
    xLabel: 'batch size',
    yLabel: 'images per second (log)',
    xLog: true,
    yLog: true,
    series: [
      {
        name: 'ours compute',
        points: result.ours.map((r) => ({ x: r.batchSize, y: r.computeImagesPerSecond })),
      },
      {
        name: 'ours end to end',
        points: result.ours.map((r) => ({ x: r.batchSize, y: r.endToEndImagesPerSecond })),
      },
      ...result.peers.flatMap((peer) => {
        const short = `TF ${peer.result.intraOpThreads === 0 ? 'default thr' : `${peer.result.intraOpThreads} thr`}`;
        return [
          {
            name: `${short} compute`,
            points: peer.result.rows.map((r) => ({ x: r.batchSize, y: r.computeImagesPerSecond })),
          },
          {
            name: `${short} e2e`,
            points: peer.result.rows.map((r) => ({ x: r.batchSize, y: r.endToEndImagesPerSecond })),
          },
        ];
      }),
    ],
  };
}

/** Achieved GFLOP/s of our compute path as a fraction of the wasm matmul peak. */
export function peakFractions(
  result: ComputeBenchResult,
): { batchSize: number; gflops: number; fraction: number }[] {
  const peak = result.peaks.find((p) => p.backend === result.backend)?.gflops ?? NaN;
  return result.ours.map((row) => {
    const gflops = (row.computeImagesPerSecond * result.flopsPerImage) / 1e9;
    return { batchSize: row.batchSize, gflops, fraction: gflops / peak };
  });
}

export function limitSection(result: ComputeBenchResult, command: string, date: string): string {
  const fractions = peakFractions(result);
  const peerPeaks = result.peers.map((p) => [
    `TensorFlow ${p.result.tensorflowVersion} (Python peer, ${p.result.intraOpThreads === 0 ? 'default threads' : `${p.result.intraOpThreads} thread`})`,
    '1024',
    sig(p.result.matmulGflops),
  ]);
  return [
    `Command: \`${command}\` on ${date}. Peak = GFLOP/s of an n x n float32 matrix multiply (2n^3 FLOPs), the best-tuned kernel a backend has. Model work per image from the layer shapes (conv 2·k·k·cin·cout·hout·wout, dense 2·in·out; bias, activation and pooling left out): **${count(result.flopsPerImage)} FLOPs**.`,
    '',
    markdownTable(
      ['Backend', 'n', 'Peak GFLOP/s'],
      [
        ...result.peaks.map((p) => [`tfjs ${p.backend}`, String(p.size), sig(p.gflops)]),
        ...peerPeaks,
      ],
    ),
    '',
    markdownTable(
      ['Layer', 'FLOPs per image'],
      result.layers.filter((l) => l.flops > 0).map((l) => [l.layer, count(l.flops)]),
    ),
    '',
    markdownTable(
      ['Batch', 'Ours compute img/s', 'Achieved GFLOP/s', `Share of ${result.backend} peak`],
      fractions.map((f, i) => [
        String(f.batchSize),
        count(result.ours[i].computeImagesPerSecond),
        sig(f.gflops),
        percent(f.fraction),
      ]),
    ),
    '',
    `![Share of the backend peak by batch size](${LIMIT_CHART_FILE})`,
    '',
    `From batch ${fractions[0].batchSize} to batch ${fractions[fractions.length - 1].batchSize} the share goes from ${percent(fractions[0].fraction)} to ${percent(fractions[fractions.length - 1].fraction)}${fractions[fractions.length - 1].fraction > fractions[0].fraction ? ': a single image pays the whole per-call overhead (tensor creation, kernel dispatch, reading scores back), a batch shares it.' : '; it did not rise with the batch size in this run, so other work on the shared machine moved these medians more than batching did.'} ${ceilingNote(result)}`,
  ].join('\n');
}

export function limitChart(result: ComputeBenchResult): LineChart {
  return {
    title: `Model GFLOP/s as a share of the ${result.backend} matmul peak`,
    xLabel: 'batch size',
    yLabel: 'share of peak (%)',
    xLog: true,
    series: [
      {
        name: 'ours compute',
        points: peakFractions(result).map((f) => ({ x: f.batchSize, y: f.fraction * 100 })),
      },
    ],
  };
}
