import type { DocSection } from '../../report/benchmarks-doc';
import { count, markdownTable, sig } from '../../report/markdown-table';
import { median } from '../shared/median-rows';
import { GPU_INSTANCES, GPU_RATE_SOURCES } from './gpu-rates';
import type {
  OursRoundRates,
  PeerRound,
  RealBenchResult,
  RealFormat,
  WorkerVariant,
} from './real-bench';

const mib = (bytes: number) => `${count(bytes / 2 ** 20)} MiB`;
const ratio = (value: number) => `${sig(value, 2)}x`;

const FORMAT_NAME: Readonly<Record<RealFormat, string>> = {
  layers: 'tfjs layers model',
  savedmodel: 'SavedModel',
};

type Rates = OursRoundRates | PeerRound;

/** The medians of one side's rounds. */
export function sideMedians(rounds: readonly Rates[]) {
  const pick = (field: (row: Rates) => number) => median(rounds.map(field));
  return {
    endToEnd: pick((r) => r.endToEndImagesPerSecond),
    inputOnly: pick((r) => r.inputOnlyImagesPerSecond),
    compute: pick((r) => r.computeImagesPerSecond),
    peakRss: pick((r) => r.peakRssBytes),
    cpuMs: pick((r) => r.inputOnlyCpuMsPerImage),
  };
}

/** Issue 20's goals on this machine, one worker format against the peer. */
export function realGoals(worker: WorkerVariant, peer: readonly PeerRound[]) {
  const ours = sideMedians(worker.rounds);
  const theirs = sideMedians(peer);
  return [
    {
      goal: 'end to end at least 1.0x the peer',
      ratio: ours.endToEnd / theirs.endToEnd,
      met: ours.endToEnd >= theirs.endToEnd,
    },
    {
      goal: 'compute at least 0.9x the peer',
      ratio: ours.compute / theirs.compute,
      met: ours.compute >= 0.9 * theirs.compute,
    },
    {
      goal: "peak RSS at most the peer's",
      ratio: ours.peakRss / theirs.peakRss,
      met: ours.peakRss <= theirs.peakRss,
    },
  ];
}

function ratesTable(result: RealBenchResult): string {
  const peer = sideMedians(result.peer);
  const workers = result.workers.map((w) => ({ w, m: sideMedians(w.rounds) }));
  const stages: [string, (m: ReturnType<typeof sideMedians>) => number, (r: Rates) => number][] = [
    ['end to end', (m) => m.endToEnd, (r) => r.endToEndImagesPerSecond],
    [
      'GET or read + decode + preprocess only',
      (m) => m.inputOnly,
      (r) => r.inputOnlyImagesPerSecond,
    ],
    ['compute only', (m) => m.compute, (r) => r.computeImagesPerSecond],
  ];
  const header = [
    'images/s, median (rounds)',
    ...workers.map(({ w }) => `worker, ${FORMAT_NAME[w.format]}`),
    'Python peer',
    ...workers.map(({ w }) => `${FORMAT_NAME[w.format]} / peer`),
  ];
  const cell = (median: number, rounds: readonly Rates[], field: (r: Rates) => number) =>
    `${sig(median, 3)} (${rounds.map((r) => sig(field(r), 3)).join(', ')})`;
  return markdownTable(
    header,
    stages.map(([name, pick, field]) => [
      name,
      ...workers.map(({ w, m }) => cell(pick(m), w.rounds, field)),
      cell(pick(peer), result.peer, field),
      ...workers.map(({ m }) => ratio(pick(m) / pick(peer))),
    ]),
  );
}

function memoryTable(result: RealBenchResult): string {
  const peer = sideMedians(result.peer);
  return markdownTable(
    [
      'side',
      'peak RSS after the end-to-end pass (median)',
      'CPU per image, input stage (all threads)',
    ],
    [
      ...result.workers.map((w) => {
        const m = sideMedians(w.rounds);
        return [`worker, ${FORMAT_NAME[w.format]}`, mib(m.peakRss), `${sig(m.cpuMs, 3)} ms`];
      }),
      ['Python peer', mib(peer.peakRss), `${sig(peer.cpuMs, 3)} ms`],
    ],
  );
}

function parityTable(result: RealBenchResult): string {
  return markdownTable(
    ['worker', 'photos', 'max abs score difference (top 5)', 'top 5 same, in order', 'top 1 same'],
    result.workers.map((w) => [
      FORMAT_NAME[w.format],
      count(w.parity.images),
      w.parity.maxAbsDiff.toExponential(1),
      count(w.parity.top5Same),
      count(w.parity.top1Same),
    ]),
  );
}

function goalsTable(result: RealBenchResult): string {
  return markdownTable(
    ['worker', 'goal (issue 20)', 'measured', ''],
    result.workers.flatMap((w) =>
      realGoals(w, result.peer).map((g) => [
        FORMAT_NAME[w.format],
        g.goal,
        ratio(g.ratio),
        g.met ? 'met' : '**missed**',
      ]),
    ),
  );
}

/**
 * Where the worker's time and memory go against the peer's, from this run's numbers: CPU per
 * image in the input stage, core-time per image in the model (cores over the compute-only rate),
 * and what the read-ahead window may hold in decoded records.
 */
function whereItStops(result: RealBenchResult): string {
  const cores = Number(result.workers[0].rounds[0].intraOpThreads) || 1;
  const peer = sideMedians(result.peer);
  const perImage = (m: ReturnType<typeof sideMedians>) => ({
    input: m.cpuMs,
    model: (cores * 1000) / m.compute,
  });
  const theirs = perImage(peer);
  const lines = result.workers.map((w) => {
    const ours = perImage(sideMedians(w.rounds));
    return `- ${FORMAT_NAME[w.format]}: ${sig(ours.input, 2)} ms of CPU per image on the input path and ${sig(ours.model, 2)} ms of core time in the model, against the peer's ${sig(theirs.input, 2)} and ${sig(theirs.model, 2)} ms. With both on ${cores} cores, the end-to-end rate is at most ${cores} cores over their sum: ${sig((cores * 1000) / (ours.input + ours.model), 3)} images/s for the worker, ${sig((cores * 1000) / (theirs.input + theirs.model), 3)} for the peer.`;
  });
  const overlap = (m: ReturnType<typeof sideMedians>) =>
    sig(m.endToEnd / Math.min(m.inputOnly, m.compute), 2);
  const overlaps = [
    ...result.workers.map((w) => `${FORMAT_NAME[w.format]} ${overlap(sideMedians(w.rounds))}`),
    `peer ${overlap(peer)}`,
  ].join(', ');
  const recordMiB = (224 * 224 * 3 * 4) / 2 ** 20;
  return [
    '**Where it stops and why**, from the numbers above:',
    lines.join('\n'),
    `- Input path: the worker's costs more CPU per image than tf.data's. A profile of the worker (node --cpu-prof on the bench's worker process, 330 photos) puts the decode thread's time in TensorFlow's DecodeJpeg/DecodePng and ResizeBilinear ops (about 3 ms a photo), the JavaScript normalisation of the resized pixels (normaliseRgb, about 1 ms: the peer does it as one TensorFlow op), and posting each 588 KiB record back to the main thread; the main thread adds the S3 GETs (SDK and HTTP), copying each mini-batch into one tensor, and garbage collection of those large arrays. The main thread also runs the model (tfjs calls TensorFlow synchronously), so what it does between model calls is not overlapped.`,
    `- Overlap: end to end over the slower of the two stages alone (1.0 when reading and scoring overlap perfectly): ${overlaps}. The worker's two stages overlap less than the peer's: its model runs on the main thread (tfjs calls TensorFlow synchronously), so GETs, hand-offs to the decode thread and result writes wait through each model call, and the decode thread's own TensorFlow context competes with the model's intra-op threads for the same two cores. (Likely causes, not measured ones: the run shows the loss, not where it goes.)`,
    `- Model: the converted layers model runs op by op through tfjs (eager), Keras's predict runs one TensorFlow graph; the SavedModel runs as one graph through the TensorFlow C library, whose optimiser fuses bias and activation into the convolutions.`,
    `- Memory: the worker reads ahead of the model (--prefetch 1,024 objects, --prefetch-bytes 256 MiB counting each object's download and its decoded record of ${sig(recordMiB, 2)} MiB), so when decoding outruns the model the window holds up to 256 MiB of decoded records; tf.data holds one prefetched batch. A smaller --prefetch-bytes lowers the peak at the cost of the read-ahead that hides S3's latency (docs/container.md, Requests in flight).`,
  ].join('\n\n');
}

function realSection(result: RealBenchResult, command: string, date: string, host: string): string {
  const { plan, model } = result;
  const first = result.workers[0].rounds[0];
  return [
    `Measured ${date} with \`${command}\` on ${host}. The worker ran backend ${first.backend}, TensorFlow intra-op ${first.intraOpThreads} / inter-op ${first.interOpThreads} threads and ${first.decodeThreads} decode thread${first.decodeThreads === 1 ? '' : 's'} (its defaults); the peer (TensorFlow ${result.peer[0].tensorflowVersion}, Python ${result.peer[0].pythonVersion}) the same intra- and inter-op counts, and tf.data's map on ${result.peerDecodeThreads} threads (the worker's decode threads plus its main thread). Batch ${plan.batchSize} on both sides, ${plan.rounds} rounds in alternating order (the worker first in odd rounds, the peer in even ones), each side in a process of its own; medians.`,
    `**Model**: MobileNetV2 built in tf-keras ${model.kerasVersion} with weights=None (${count(model.parameters)} parameters), its ${model.batchNormLayers} BatchNorm layers' moving statistics set from ${model.calibrationPhotos} of the photos (one training-mode pass with momentum 0; ${model.distinctTop1} distinct top-1 classes over them, so the scores depend on the input), saved as .h5; that file converted by tensorflowjs ${model.tensorflowjsVersion} into a layers model, and exported by Keras as a SavedModel. Each was registered with \`gbi models import\` (224x224x3, pixel / 127.5 - 1, 1,000 labels, top 5). The peer loads the same .h5 (scripts/peer/real_model.py, real_peer.py).`,
    `**Photos**: ${count(plan.images)} (${count(result.jpegs)} JPEG at quality 90, ${count(result.pngs)} PNG, mean ${count(result.meanPhotoBytes / 1024)} KiB), crops of scikit-image's sample photographs (${result.sources.join(', ')}, read out of its wheel, pinned by hash in scripts/peer/requirements-photos.txt), flipped half the time, resized to 224-640 px a side and encoded with TensorFlow's encoders (scripts/peer/real_photos.py). The worker GETs them one per object from ${result.server}; the peer reads the same files from local disk.`,
    `**Stages**: end to end is the worker's whole shard (GET, decode, preprocess, score, write results and summary) and the peer's tf.data pipeline (read_file, decode_image, resize, normalise, batch, prefetch) into Keras \`predict\`. The input stage is the same shard with the model call replaced by zero scores, and the same dataset iterated without the model. Compute only is the worker's scorer and the peer's \`predict_on_batch\` on ${count(plan.computeImages)} already preprocessed photos.`,
    ratesTable(result),
    memoryTable(result),
    `**Scores**: every photo's end-to-end top 5 from the worker against the peer's scores for the same labels.`,
    parityTable(result),
    goalsTable(result),
    whereItStops(result),
  ].join('\n\n');
}

function gpuSection(result: RealBenchResult): string {
  const worker = sideMedians(result.workers[0].rounds);
  const peer = sideMedians(result.peer);
  const feed = (cpuMs: number, vcpus: number) => (vcpus * 1000) / cpuMs;
  return [
    `On a GPU instance the model leaves the CPU, and what is left on the host is the input path: GET, decode, resize and normalise. Its cost is the CPU time (user + system, all threads) of the input stage above per image, on this machine's cores: ${sig(worker.cpuMs, 3)} ms in the worker and ${sig(peer.cpuMs, 3)} ms in the peer. Times an instance's vCPUs, that is the most images/s its host can feed with every vCPU on the input path and none left for anything else; a GPU that scores faster than that waits for its host.`,
    markdownTable(
      [
        'instance',
        'vCPUs',
        'worker feeds (images/s)',
        'Python peer feeds (images/s)',
        'GPU MobileNet, published (images/s)',
        'GPU ResNet-50, published (images/s)',
      ],
      GPU_INSTANCES.map((instance) => [
        `${instance.instance} (${instance.gpu})`,
        instance.vcpus,
        count(feed(worker.cpuMs, instance.vcpus)),
        count(feed(peer.cpuMs, instance.vcpus)),
        instance.mobileNet,
        instance.resNet50,
      ]),
    ),
    `GPU rates are published figures, not measured here. ${GPU_RATE_SOURCES}`,
  ].join('\n\n');
}

/** The two sections of docs/benchmarks.md that bench:real owns. */
export function realDocSections(
  result: RealBenchResult,
  command: string,
  date: string,
  host: string,
): DocSection[] {
  return [
    {
      id: 'real',
      heading: 'A real model on real photos',
      body: realSection(result, command, date, host),
    },
    { id: 'real-gpu', heading: 'Feeding a GPU', body: gpuSection(result) },
  ];
}

/** Short lines for the console. */
export function realSummary(result: RealBenchResult): string {
  const peer = sideMedians(result.peer);
  const line = (name: string, m: ReturnType<typeof sideMedians>) =>
    `${name}: end to end ${sig(m.endToEnd, 3)}, input only ${sig(m.inputOnly, 3)}, compute ${sig(m.compute, 3)} images/s; peak RSS ${mib(m.peakRss)}; input CPU ${sig(m.cpuMs, 3)} ms/image`;
  return [
    ...result.workers.flatMap((w) => [
      line(`worker (${FORMAT_NAME[w.format]})`, sideMedians(w.rounds)),
      `  scores: max |diff| ${w.parity.maxAbsDiff.toExponential(1)}, top 5 same on ${w.parity.top5Same} of ${w.parity.images}`,
      ...realGoals(w, result.peer).map(
        (g) => `  ${g.goal}: ${ratio(g.ratio)} ${g.met ? 'met' : 'missed'}`,
      ),
    ]),
    line('peer', peer),
  ].join('\n');
}
