import { DIGITS_CNN } from '../../../container/src/train/architecture';
import type { BackendRun, ComputeBenchResult, PeerRun } from './compute-bench';
import { count, markdownTable, percent, sig } from '../../report/markdown-table';
import type { LineChart } from '../../report/svg-line-chart';

export const PEERS_CHART_FILE = 'charts/peers-throughput.svg';
export const LIMIT_CHART_FILE = 'charts/physical-limit.svg';

/** The goals of issue 11 on the native backend, against the peer on the same threads. */
export const NATIVE_GOAL = { minBatchSize: 8, compute: 0.9, endToEnd: 0.9 } as const;

/** ours / peer at each batch size, for compute-only and end to end, per backend and peer. */
export interface PeerRatio {
  readonly backend: string;
  readonly peer: string;
  /** The peer ran with the same intra- and inter-op threads as this backend. */
  readonly sameThreads: boolean;
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

const sameThreads = (run: BackendRun, peer: PeerRun) =>
  run.intraOpThreads === peer.result.intraOpThreads &&
  run.interOpThreads === peer.result.interOpThreads;

export function peerRatios(result: ComputeBenchResult): PeerRatio[] {
  return result.peers.flatMap((peer) =>
    result.runs.flatMap((run) =>
      run.ours.flatMap((ours) => {
        const theirs = peer.result.rows.find((row) => row.batchSize === ours.batchSize);
        return theirs === undefined
          ? []
          : [
              {
                backend: run.backend,
                peer: peer.label,
                sameThreads: sameThreads(run, peer),
                batchSize: ours.batchSize,
                compute: ours.computeImagesPerSecond / theirs.computeImagesPerSecond,
                endToEnd: ours.endToEndImagesPerSecond / theirs.endToEndImagesPerSecond,
              },
            ];
      }),
    ),
  );
}

/** The native backend's ratios the goal covers (same threads, batch >= 8) that miss it. */
export function nativeGoalMisses(ratios: readonly PeerRatio[]): PeerRatio[] {
  return goalRatios(ratios).filter(
    (r) => r.compute < NATIVE_GOAL.compute || r.endToEnd < NATIVE_GOAL.endToEnd,
  );
}

function goalRatios(ratios: readonly PeerRatio[]): PeerRatio[] {
  return ratios.filter(
    (r) => r.backend === 'tfjs-node' && r.sameThreads && r.batchSize >= NATIVE_GOAL.minBatchSize,
  );
}

const ratio = (value: number) => `${value.toFixed(2)}x`;

const threadsText = (intra: number, inter: number) => `intra-op ${intra} / inter-op ${inter}`;

type Kind = 'computeImagesPerSecond' | 'endToEndImagesPerSecond';

/** One row per batch size: each backend's rate, the peer's, and each backend / peer. */
function peerTable(result: ComputeBenchResult, peer: PeerRun, kind: Kind): string {
  const runs = result.runs;
  return markdownTable(
    [
      'Batch',
      ...runs.map((r) => `${r.backend} img/s`),
      'Peer img/s',
      ...runs.map((r) => `${r.backend} / peer`),
    ],
    runs[0].ours.map(({ batchSize }) => {
      const theirs = peer.result.rows.find((row) => row.batchSize === batchSize);
      const mine = runs.map((r) => r.ours.find((row) => row.batchSize === batchSize)?.[kind]);
      return [
        String(batchSize),
        ...mine.map((v) => (v === undefined ? 'n/a' : count(v))),
        theirs ? count(theirs[kind]) : 'n/a',
        ...mine.map((v) => (v === undefined || !theirs ? 'n/a' : ratio(v / theirs[kind]))),
      ];
    }),
  );
}

function oursOnlyTable(result: ComputeBenchResult): string {
  return markdownTable(
    ['Backend', 'Batch', 'Compute img/s', 'End-to-end img/s'],
    result.runs.flatMap((run) =>
      run.ours.map((row) => [
        run.backend,
        String(row.batchSize),
        count(row.computeImagesPerSecond),
        count(row.endToEndImagesPerSecond),
      ]),
    ),
  );
}

/** Time per model call spent on per-op costs: ops in the call times the cost of a tiny op. */
export function opOverheadShare(run: BackendRun): number {
  return (run.profile.opCount * run.opOverheadMicroseconds) / 1000 / run.profile.wallMilliseconds;
}

function profileSection(run: BackendRun): string {
  const p = run.profile;
  return [
    `**${run.backend}**: one model call at batch ${p.batchSize} (tf.profile kernel times; wall ${sig(p.wallMilliseconds)} ms, one call, and tf.profile's own bookkeeping counts as outside kernels; a kernel another calls, such as the Add and Relu inside tfjs-node's FusedConv2D, counts in both). It runs ${p.opCount} ops; a tiny op (a 1-element add) costs ${sig(run.opOverheadMicroseconds)} µs on this backend, so per-op costs are about ${percent(opOverheadShare(run))} of the call.`,
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

/** Share of end-to-end time outside the model call at a batch size. */
function decodeFraction(run: BackendRun, batchSize: number): number {
  const row = run.ours.find((r) => r.batchSize === batchSize) ?? run.ours[run.ours.length - 1];
  return 1 - row.endToEndImagesPerSecond / row.computeImagesPerSecond;
}

function nativeGap(result: ComputeBenchResult, ratios: readonly PeerRatio[]): string {
  const run = result.runs.find((r) => r.backend === 'tfjs-node');
  const covered = goalRatios(ratios);
  if (run === undefined || covered.length === 0) return '';
  const misses = nativeGoalMisses(ratios);
  const worst = (key: 'compute' | 'endToEnd') =>
    covered.reduce((a, b) => (b[key] < a[key] ? b : a));
  const lowest = `lowest: compute ${ratio(worst('compute').compute)} at batch ${worst('compute').batchSize}, end to end ${ratio(worst('endToEnd').endToEnd)} at batch ${worst('endToEnd').batchSize}`;
  const head =
    misses.length === 0
      ? `**tfjs-node goal met**: at least ${NATIVE_GOAL.compute}x the peer on the same threads (${threadsText(run.intraOpThreads, run.interOpThreads)}) at every batch size >= ${NATIVE_GOAL.minBatchSize}, compute and end to end (${lowest}).`
      : `**tfjs-node goal missed** at ${misses.map((m) => `batch ${m.batchSize} (${m.compute < NATIVE_GOAL.compute ? `compute ${ratio(m.compute)}` : ''}${m.compute < NATIVE_GOAL.compute && m.endToEnd < NATIVE_GOAL.endToEnd ? ', ' : ''}${m.endToEnd < NATIVE_GOAL.endToEnd ? `end to end ${ratio(m.endToEnd)}` : ''})`).join(', ')} against ${NATIVE_GOAL.compute}x the peer on the same threads (${lowest}). Where the time goes:`;
  const p = run.profile;
  const conv = p.kernels.filter((k) => /conv/i.test(k.kernel)).reduce((s, k) => s + k.share, 0);
  const addRelu = p.kernels
    .filter((k) => k.kernel === 'Add' || k.kernel === 'Relu')
    .reduce((s, k) => s + k.share, 0);
  const largest = Math.max(...run.ours.map((r) => r.batchSize));
  const details = [
    `- **Kernels**: the same TensorFlow ${result.peers[0]?.result.tensorflowVersion ?? ''} oneDNN kernels as the peer, but not fused: tfjs-node 4.22's FusedConv2D and _FusedMatMul run the convolution or matmul, then the bias Add, then the Relu as three eager ops, three passes over the activations, where the peer's graph optimiser fuses each triple into one oneDNN op. The convolutions are ${percent(conv)} of a batch-${p.batchSize} call, the separate Add and Relu inside them ${percent(addRelu)}.`,
    `- **Per op**: our model call runs ${p.opCount} eager ops, each a separate N-API call into TensorFlow's eager runtime (${sig(run.opOverheadMicroseconds)} µs for a tiny op, about ${percent(opOverheadShare(run))} of the batch-${p.batchSize} call); the peer's \`tf.function\` runs one graph per call, so this cost weighs most at small batches.`,
    `- **End to end**: decoding runs in JavaScript on ${result.decodeThreads} decode thread${result.decodeThreads === 1 ? '' : 's'} beside the model thread, competing with TensorFlow's ${run.intraOpThreads} intra-op thread${run.intraOpThreads === 1 ? '' : 's'} for the ${result.peers[0]?.result.cpuCount ?? 'same'} cores; at batch ${largest} decoding and preprocessing are ${percent(decodeFraction(run, largest))} of the end-to-end time per image, where the peer decodes in C++ inside its graph.`,
  ];
  return [head, ...(misses.length === 0 ? [] : ['', ...details])].join('\n');
}

function wasmGap(result: ComputeBenchResult, ratios: readonly PeerRatio[]): string {
  const run = result.runs.find((r) => r.backend === 'wasm');
  const own = ratios.filter((r) => r.backend === 'wasm' && r.sameThreads);
  if (run === undefined || own.length === 0) return '';
  const worst = own.reduce((a, b) => (b.compute < a.compute ? b : a));
  const peak = result.peaks.find((p) => p.backend === 'wasm')?.gflops ?? NaN;
  const peerPeak = result.peers.find((p) => p.result.intraOpThreads === 1)?.result.matmulGflops;
  return `**wasm** (the portable fallback, no goal) against the peer on its ${threadsText(run.intraOpThreads, run.interOpThreads)}: as low as ${ratio(worst.compute)} compute at batch ${worst.batchSize}. tfjs-backend-wasm runs XNNPACK on 128-bit wasm SIMD on one thread (it does not start its thread pool under Node): its matmul peak is ${sig(peak)} GFLOP/s${peerPeak === undefined ? '' : ` against TensorFlow's ${sig(peerPeak)} on one thread`}, so at the same efficiency it does a fraction of the peer's work; per-op costs are small on it (${sig(run.opOverheadMicroseconds)} µs), which is why it leads at batch 1.`;
}

export function peersSection(
  result: ComputeBenchResult,
  command: string,
  date: string,
  machine: string,
): string {
  const ratios = peerRatios(result);
  const backends = result.runs
    .map(
      (r) =>
        `**${r.backend}** (${threadsText(r.intraOpThreads, r.interOpThreads)}${r.backend === 'wasm' ? ', SIMD' : ''})`,
    )
    .join(' and ');
  const agreement = result.runs
    .slice(1)
    .map(
      (r) =>
        `${r.backend} scores differ from ${result.runs[0].backend}'s by at most ${r.maxAbsDiffFromFirst.toExponential(1)}`,
    )
    .join('; ');
  const lines = [
    `Command: \`${command}\` on ${date}. Machine: ${machine}. Node ${result.nodeVersion}, TensorFlow.js ${result.tfjsVersion} on ${backends}, each in turn in one process${agreement ? ` (${agreement})` : ''}.${result.skippedBackends.map((s) => ` **${s.backend} skipped**: ${s.reason}.`).join('')}`,
    '',
    `Method: the default digit model (container/src/train/architecture.ts, DIGITS_CNN: ${digitsModelLayers()}) with seeded random weights, registered in the emulator and loaded through the worker (resolveModel + loadScorer) on each backend; random weights cost the same to run as trained ones. Inputs: 256 real MNIST digits as PNGs. _Compute_ times the worker's Scorer.score on ready float inputs; _end to end_ times PNG bytes in memory to top-3 predictions (decode and preprocess on the worker's decode threads, overlapped with the model call as in the worker, then top-k). Each rate comes from the median call of repeated calls (after one warm-up call) run for at least the plan's minimum time: the machine is shared with other work, and the median ignores the calls it preempts. ${result.rounds > 1 ? `Our backends and the peer run in ${result.rounds} alternating rounds and each rate is the median over them, so load that comes and goes falls on both sides of a ratio. ` : ''}The peer rebuilds the same layers in Keras, loads the same weights (exported from tfjs), checks its scores against ours, and times the same work the same way (\`tf.function\` model call; end to end \`tf.io.decode_png\` + resize + model + \`tf.math.top_k\` in one graph), once with each thread setting our backends ran with. Ratio = ours / peer: above 1 means our worker is faster. Goal: tfjs-node at least ${NATIVE_GOAL.compute}x the peer on the same threads at every batch size >= ${NATIVE_GOAL.minBatchSize}, compute and end to end.`,
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
      const same = result.runs.filter((r) => sameThreads(r, peer)).map((r) => r.backend);
      lines.push(
        `### vs ${peer.label}`,
        '',
        `Python ${peer.result.pythonVersion}, ${threadsText(peer.result.intraOpThreads, peer.result.interOpThreads)}${same.length > 0 ? `: the threads ${same.join(' and ')} ran with` : ''}. Same scores: max |difference| ${peer.result.maxAbsDiff.toExponential(1)}.`,
        '',
        'Compute:',
        '',
        peerTable(result, peer, 'computeImagesPerSecond'),
        '',
        'End to end:',
        '',
        peerTable(result, peer, 'endToEndImagesPerSecond'),
        '',
      );
    }
    lines.push(
      `![Throughput against batch size](${PEERS_CHART_FILE})`,
      '',
      nativeGap(result, ratios),
      '',
      wasmGap(result, ratios),
    );
  }
  lines.push('', 'Profiles:', '', ...result.runs.flatMap((run) => [profileSection(run), '']));
  return lines.join('\n');
}

export function peersChart(result: ComputeBenchResult): LineChart {
  const points = (rows: readonly { batchSize: number }[], kind: Kind) =>
    (rows as readonly ({ batchSize: number } & Record<Kind, number>)[]).map((r) => ({
      x: r.batchSize,
      y: r[kind],
    }));
  return {
    title: 'Images per second by batch size (higher is better)',
    xLabel: 'batch size',
    yLabel: 'images per second (log)',
    xLog: true,
    yLog: true,
    series: [
      ...result.runs.flatMap((run) => [
        { name: `${run.backend} compute`, points: points(run.ours, 'computeImagesPerSecond') },
        { name: `${run.backend} e2e`, points: points(run.ours, 'endToEndImagesPerSecond') },
      ]),
      ...result.peers.flatMap((peer) => {
        const short = `TF ${peer.result.intraOpThreads}/${peer.result.interOpThreads} thr`;
        return [
          { name: `${short} compute`, points: points(peer.result.rows, 'computeImagesPerSecond') },
          { name: `${short} e2e`, points: points(peer.result.rows, 'endToEndImagesPerSecond') },
        ];
      }),
    ],
  };
}

/** Achieved GFLOP/s of each backend's compute path as a fraction of its own matmul peak. */
export function peakFractions(
  result: ComputeBenchResult,
): { backend: string; batchSize: number; gflops: number; fraction: number }[] {
  return result.runs.flatMap((run) => {
    const peak = result.peaks.find((p) => p.backend === run.backend)?.gflops ?? NaN;
    return run.ours.map((row) => {
      const gflops = (row.computeImagesPerSecond * result.flopsPerImage) / 1e9;
      return { backend: run.backend, batchSize: row.batchSize, gflops, fraction: gflops / peak };
    });
  });
}

export function limitSection(result: ComputeBenchResult, command: string, date: string): string {
  const fractions = peakFractions(result);
  const peerPeaks = result.peers.map((p) => [
    `TensorFlow ${p.result.tensorflowVersion} (Python peer, ${threadsText(p.result.intraOpThreads, p.result.interOpThreads)})`,
    '1024',
    sig(p.result.matmulGflops),
  ]);
  const summary = result.runs.map((run) => {
    const own = fractions.filter((f) => f.backend === run.backend);
    const best = own.reduce((a, b) => (b.fraction > a.fraction ? b : a));
    return `On ${run.backend} the share goes from ${percent(own[0].fraction)} at batch ${own[0].batchSize} to ${percent(own[own.length - 1].fraction)} at batch ${own[own.length - 1].batchSize} (best ${percent(best.fraction)} at batch ${best.batchSize}).`;
  });
  return [
    `Command: \`${command}\` on ${date}. Peak = GFLOP/s of an n x n float32 matrix multiply (2n^3 FLOPs), the best-tuned kernel a backend has (tfjs-node: TensorFlow's own, on the worker's thread setting). Model work per image from the layer shapes (conv 2·k·k·cin·cout·hout·wout, dense 2·in·out; bias, activation and pooling left out): **${count(result.flopsPerImage)} FLOPs**.`,
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
      ['Backend', 'Batch', 'Compute img/s', 'Achieved GFLOP/s', 'Share of its peak'],
      fractions.map((f) => [
        f.backend,
        String(f.batchSize),
        count((f.gflops * 1e9) / result.flopsPerImage),
        sig(f.gflops),
        percent(f.fraction),
      ]),
    ),
    '',
    `![Share of the backend peak by batch size](${LIMIT_CHART_FILE})`,
    '',
    `${summary.join(' ')} A single image pays the whole per-call overhead (tensor creation, one dispatch per op, reading scores back) where a batch shares it; on a shared machine other work also moves these medians.`,
  ].join('\n');
}

export function limitChart(result: ComputeBenchResult): LineChart {
  const fractions = peakFractions(result);
  return {
    title: 'Model GFLOP/s as a share of each backend matmul peak',
    xLabel: 'batch size',
    yLabel: 'share of peak (%)',
    xLog: true,
    series: result.runs.map((run) => ({
      name: `${run.backend} compute`,
      points: fractions
        .filter((f) => f.backend === run.backend)
        .map((f) => ({ x: f.batchSize, y: f.fraction * 100 })),
    })),
  };
}
