import type { DocSection } from '../../report/benchmarks-doc';
import { count, markdownTable, sig } from '../../report/markdown-table';
import { median } from '../shared/median-rows';
import { GPU_INSTANCES, GPU_RATE_SOURCES } from './gpu-rates';
import type { RealBenchResult } from './real-bench';

const mib = (bytes: number) => `${count(bytes / 2 ** 20)} MiB`;
const rates = (values: readonly number[]) => values.map((v) => sig(v, 3)).join(', ');

/** The medians the docs and the summary compare, worker over peer. */
export function realMedians(result: RealBenchResult) {
  const pick = <T>(rows: readonly T[], field: (row: T) => number) => median(rows.map(field));
  const ours = {
    endToEnd: pick(result.ours, (r) => r.endToEndImagesPerSecond),
    inputOnly: pick(result.ours, (r) => r.inputOnlyImagesPerSecond),
    compute: pick(result.ours, (r) => r.computeImagesPerSecond),
    peakRss: pick(result.ours, (r) => r.peakRssBytes),
    cpuMs: pick(result.ours, (r) => r.inputOnlyCpuMsPerImage),
  };
  const peer = {
    endToEnd: pick(result.peer, (r) => r.endToEndImagesPerSecond),
    inputOnly: pick(result.peer, (r) => r.inputOnlyImagesPerSecond),
    compute: pick(result.peer, (r) => r.computeImagesPerSecond),
    peakRss: pick(result.peer, (r) => r.peakRssBytes),
    cpuMs: pick(result.peer, (r) => r.inputOnlyCpuMsPerImage),
  };
  return { ours, peer };
}

/** Issue 20's goals on this machine, worker against peer. */
export function realGoals(result: RealBenchResult) {
  const { ours, peer } = realMedians(result);
  return [
    {
      goal: 'end to end at least 1.0x the peer',
      ratio: ours.endToEnd / peer.endToEnd,
      met: ours.endToEnd >= peer.endToEnd,
    },
    {
      goal: 'compute at least 0.9x the peer',
      ratio: ours.compute / peer.compute,
      met: ours.compute >= 0.9 * peer.compute,
    },
    {
      goal: "peak RSS at most the peer's",
      ratio: ours.peakRss / peer.peakRss,
      met: ours.peakRss <= peer.peakRss,
    },
  ];
}

function realSection(result: RealBenchResult, command: string, date: string, host: string): string {
  const { plan, model, parity } = result;
  const { ours, peer } = realMedians(result);
  const first = result.ours[0];
  const row = (
    what: string,
    o: number,
    p: number,
    each: [readonly number[], readonly number[]],
  ) => [what, sig(o, 3), sig(p, 3), `${sig(o / p, 2)}x`, rates(each[0]), rates(each[1])];
  const table = markdownTable(
    ['images/s (median)', 'worker', 'Python peer', 'worker / peer', 'worker rounds', 'peer rounds'],
    [
      row('end to end', ours.endToEnd, peer.endToEnd, [
        result.ours.map((r) => r.endToEndImagesPerSecond),
        result.peer.map((r) => r.endToEndImagesPerSecond),
      ]),
      row('GET or read + decode + preprocess only', ours.inputOnly, peer.inputOnly, [
        result.ours.map((r) => r.inputOnlyImagesPerSecond),
        result.peer.map((r) => r.inputOnlyImagesPerSecond),
      ]),
      row('compute only', ours.compute, peer.compute, [
        result.ours.map((r) => r.computeImagesPerSecond),
        result.peer.map((r) => r.computeImagesPerSecond),
      ]),
    ],
  );
  const memory = markdownTable(
    ['', 'worker', 'Python peer'],
    [
      ['peak RSS after the end-to-end pass (median)', mib(ours.peakRss), mib(peer.peakRss)],
      [
        'CPU per image, input stage only (all threads)',
        `${sig(ours.cpuMs, 3)} ms`,
        `${sig(peer.cpuMs, 3)} ms`,
      ],
    ],
  );
  const goals = markdownTable(
    ['goal (issue 20)', 'measured', ''],
    realGoals(result).map((g) => [g.goal, `${sig(g.ratio, 2)}x`, g.met ? 'met' : '**missed**']),
  );
  return [
    `Measured ${date} with \`${command}\` on ${host}. The worker ran backend ${first.backend}, TensorFlow intra-op ${first.intraOpThreads} / inter-op ${first.interOpThreads} threads and ${first.decodeThreads} decode threads; the peer (TensorFlow ${result.peer[0].tensorflowVersion}, Python ${result.peer[0].pythonVersion}) the same intra- and inter-op counts, and tf.data's map on ${result.peerDecodeThreads} threads (the worker's decode threads plus its main thread). Batch ${plan.batchSize} on both sides, ${plan.rounds} alternating rounds (the worker first in odd rounds, the peer first in even ones), medians.`,
    `**Model**: MobileNetV2 built in tf-keras ${model.kerasVersion} with weights=None (${count(model.parameters)} parameters), its ${model.batchNormLayers} BatchNorm layers' moving statistics set from ${model.calibrationPhotos} of the photos (one training-mode pass with momentum 0; ${model.distinctTop1} distinct top-1 classes over them, so the scores depend on the input), saved as .h5, converted by tensorflowjs ${model.tensorflowjsVersion} and registered with \`gbi models import\` (224x224x3, pixel / 127.5 - 1, 1,000 labels, top 5). The peer loads the same .h5.`,
    `**Photos**: ${count(plan.images)} (${count(result.jpegs)} JPEG at quality 90, ${count(result.pngs)} PNG, mean ${count(result.meanPhotoBytes / 1024)} KiB), crops of scikit-image's sample photographs (${result.sources.join(', ')}, read out of its wheel), flipped half the time, resized to 224-640 px a side and encoded with TensorFlow's encoders (scripts/peer/real_photos.py). The worker GETs them one per object from ${result.server}, the peer reads the same files from local disk.`,
    `**Stages**: end to end is the worker's whole shard (GET, decode, preprocess, score, write results) and the peer's tf.data pipeline (read_file, decode_image, resize, normalise, batch, prefetch) into Keras \`predict\`. The input stage is the same shard with the model call replaced by zero scores, and the same dataset iterated without the model. Compute only is the scorer (worker) and \`predict_on_batch\` (peer) on ${count(plan.computeImages)} already preprocessed photos.`,
    table,
    memory,
    `**Scores**: over all ${count(parity.images)} photos, the worker's top-5 scores differ from the peer's by at most ${parity.maxAbsDiff.toExponential(1)}; the top 5 (labels, in order) agree on ${count(parity.top5Same)} and the top 1 on ${count(parity.top1Same)}.`,
    goals,
  ].join('\n\n');
}

function gpuSection(result: RealBenchResult): string {
  const { ours, peer } = realMedians(result);
  const feed = (cpuMs: number, vcpus: number) => (vcpus * 1000) / cpuMs;
  const rows = GPU_INSTANCES.map((instance) => [
    `${instance.instance} (${instance.gpu}, ${instance.vcpus} vCPUs)`,
    count(feed(ours.cpuMs, instance.vcpus)),
    count(feed(peer.cpuMs, instance.vcpus)),
    instance.mobileNetV2 === undefined
      ? 'not published'
      : count(instance.mobileNetV2.imagesPerSecond),
    count(instance.resNet50.imagesPerSecond),
  ]);
  return [
    `On a GPU instance the model leaves the CPU, and what is left on the host is the input path: GET, decode, resize and normalise. Its cost is the CPU time (user + system, all threads) of the input-only stage above per image: ${sig(ours.cpuMs, 3)} ms in the worker and ${sig(peer.cpuMs, 3)} ms in the peer, on this machine's cores. Times each instance's vCPUs, that is the most images/s its host can feed, with every vCPU on the input path and none left for anything else; a GPU that scores faster than that waits for its host.`,
    markdownTable(
      [
        'instance',
        'worker feeds (images/s)',
        'Python peer feeds (images/s)',
        'GPU MobileNetV2 (images/s)',
        'GPU ResNet-50 (images/s)',
      ],
      rows,
    ),
    `GPU rates are published figures, not measured here: ${GPU_RATE_SOURCES}`,
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
  const { ours, peer } = realMedians(result);
  return [
    `end to end ${sig(ours.endToEnd, 3)} vs ${sig(peer.endToEnd, 3)} images/s; input only ${sig(ours.inputOnly, 3)} vs ${sig(peer.inputOnly, 3)}; compute ${sig(ours.compute, 3)} vs ${sig(peer.compute, 3)}`,
    `peak RSS ${mib(ours.peakRss)} vs ${mib(peer.peakRss)}; input CPU ${sig(ours.cpuMs, 3)} vs ${sig(peer.cpuMs, 3)} ms/image`,
    `scores: max |diff| ${result.parity.maxAbsDiff.toExponential(1)}, top 5 same on ${result.parity.top5Same} of ${result.parity.images}`,
    ...realGoals(result).map((g) => `${g.goal}: ${sig(g.ratio, 2)}x ${g.met ? 'met' : 'missed'}`),
  ].join('\n');
}
