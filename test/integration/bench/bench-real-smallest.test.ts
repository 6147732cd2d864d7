import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RealReport } from '../../../scripts/bench/real/bench-real';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { runNode } from '../../../scripts/shared/run-node';

const REPO = join(__dirname, '..', '..', '..');

// `npm run bench:real -- --size small` once (12 photos, one round, batch 4), into a scratch docs
// folder; the tests read what it wrote. No timing is asserted. It needs no emulator service: the
// bench starts its own S3 server (gofakes3). The first run downloads the peer's TensorFlow and
// the scikit-image wheel the photos come from.
describeOnEmulator([], 'npm run bench:real at the smallest size', () => {
  let docsDir: string;
  let report: RealReport;
  let benchmarks: string;

  beforeAll(async () => {
    docsDir = mkdtempSync(join(tmpdir(), 'bench-real-docs-'));
    const jsonFile = join(docsDir, 'report.json');
    const bench = await runNode(
      [
        ...['--import', 'tsx', 'scripts/bench/real/bench-real.ts', '--size', 'small'],
        ...['--docs-dir', docsDir, '--json', jsonFile, '--write'],
      ],
      { cwd: REPO },
    );
    if (bench.status !== 0) {
      throw new Error(`bench:real exited ${bench.status}: ${bench.stderr.slice(-4000)}`);
    }
    report = JSON.parse(readFileSync(jsonFile, 'utf-8')) as RealReport;
    benchmarks = readFileSync(join(docsDir, 'benchmarks.md'), 'utf-8');
  }, 900_000);

  afterAll(() => rmSync(docsDir, { recursive: true, force: true }));

  it('builds MobileNetV2 whose scores depend on the photo and imports both formats with gbi models import', () => {
    // given the run above
    const { model, workers } = report.result;
    // when its model and import output are read
    // then it is MobileNetV2's size, calibrated, and registered as a layers model and a SavedModel
    expect(model.parameters).toBe(3_538_984);
    expect(model.batchNormLayers).toBe(52);
    expect(model.distinctTop1).toBeGreaterThan(1);
    expect(workers.map((w) => w.format)).toEqual(['layers', 'savedmodel']);
    expect(workers[0].importOutput.join('\n')).toMatch(
      /imported mobilenet-v2@\S+ from .*: layers model, image input 224x224x3, 1000 labels/,
    );
    expect(workers[1].importOutput.join('\n')).toMatch(/imported mobilenet-v2-savedmodel@\S+/);
  });

  it('makes mostly JPEG and some PNG photos from the sample images', () => {
    // given the smallest plan's 12 photos, every 11th a PNG
    // when the report is read
    // then 11 are JPEG and 1 is PNG
    expect(report.result).toMatchObject({ jpegs: 11, pngs: 1 });
    expect(report.result.sources).toContain('astronaut.png');
  });

  it('measures both sides at every stage, with peak RSS and input CPU per image', () => {
    // given one round
    const sides = [...report.result.workers.map((w) => w.rounds[0]), report.result.peer[0]];
    // when the rates are read
    // then each stage of each side has a positive rate, memory and CPU
    expect(sides).toHaveLength(3);
    for (const side of sides) {
      expect(side.endToEndImagesPerSecond).toBeGreaterThan(0);
      expect(side.inputOnlyImagesPerSecond).toBeGreaterThan(0);
      expect(side.computeImagesPerSecond).toBeGreaterThan(0);
      expect(side.peakRssBytes).toBeGreaterThan(0);
      expect(side.inputOnlyCpuMsPerImage).toBeGreaterThan(0);
    }
  });

  it('compares the scores of every photo with the peer, for each format', () => {
    // given the end-to-end results of all sides
    // when the comparisons are read
    // then all 12 photos were compared and the difference is a number
    for (const { parity } of report.result.workers) {
      expect(parity.images).toBe(12);
      expect(Number.isFinite(parity.maxAbsDiff)).toBe(true);
      expect(parity.top1Same).toBeLessThanOrEqual(12);
    }
  });

  it('writes its two sections, the goals and the GPU table with its sources', () => {
    // given the docs folder
    // when benchmarks.md is read
    // then both sections are there with their markers, goals and the GPU instances
    for (const id of ['real', 'real-gpu']) {
      expect(benchmarks).toContain(`<!-- bench:${id}:start -->`);
      expect(benchmarks).toContain(`<!-- bench:${id}:end -->`);
    }
    expect(benchmarks).toContain('## A real model on real photos');
    expect(benchmarks).toContain('## Feeding a GPU');
    expect(benchmarks).toMatch(
      /end to end at least 1\.0x the peer\s*\|\s*\S+x\s*\|\s*(met|\*\*missed\*\*)/,
    );
    for (const instance of ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge']) {
      expect(benchmarks).toContain(instance);
    }
    expect(report.command).toBe('npm run bench:real -- --size small');
  });
});
