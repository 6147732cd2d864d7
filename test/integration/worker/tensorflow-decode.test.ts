import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, ImageFormat } from '../../../container/src/infer/input/detect-format';
import { imageInput } from '../../../container/src/infer/input/image-input';
import { objectRecords } from '../../../container/src/infer/input/object-records';
import type { ImageSpec } from '../../../container/src/infer/input/preprocess-image';
import { ensurePeerVenv, runPeerScript } from '../../../scripts/bench/compute/peer-runner';
import { backendsUnderTest } from '../../helpers/backends';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

// The first run creates the peer venv (TensorFlow from the package index): minutes.
jest.setTimeout(900_000);

/** What scripts/peer/decode_images_peer.py prints. */
interface PeerImages {
  readonly tensorflowVersion: string;
  readonly images: readonly {
    readonly name: string;
    readonly height: number;
    readonly width: number;
    readonly channels: number;
    readonly defaultEquals?: readonly string[];
  }[];
}

const LIMITS = { maxPixels: 40_000_000 };

/** The spec that returns an image's own pixels: its size (no resize), RGB, scale 1, offset 0. */
const identity = (width: number, height: number): ImageSpec => ({
  kind: 'image',
  width,
  height,
  channels: 3,
  scale: 1,
  offset: 0,
});

/** Python's pixel for channel c of pixel p: a gray image's one channel stands for all three. */
const peerSample = (pixels: Buffer, channels: number, p: number, c: number) =>
  pixels[p * channels + Math.min(c, channels - 1)];

const native = backendsUnderTest().includes('tfjs-node');
const describeNative = native ? describe : describe.skip;

describeOnEmulator([], 'images decoded through TensorFlow', () => {
  describeNative('on tfjs-node', () => {
    const workdir = mkdtempSync(join(tmpdir(), 'tf-decode-'));
    let peer: PeerImages;

    beforeAll(() => {
      // given photo-like JPEGs (4:2:0 and 4:4:4, baseline and progressive, gray) and PNGs (RGB,
      // RGBA, gray, 16-bit) of 160-640 px, and the pixels Python's tf.io.decode_jpeg /
      // tf.io.decode_png give for them with every argument at its default
      ensurePeerVenv((line) => process.stderr.write(`[decode-peer] ${line}\n`));
      peer = runPeerScript('decode_images_peer.py', [workdir]) as PeerImages;
    });

    afterAll(() => rmSync(workdir, { recursive: true, force: true }));

    it('gives exactly the pixels Python gives, for every image', () => {
      expect(peer.tensorflowVersion).toBe('2.21.0');
      expect(peer.images.length).toBeGreaterThanOrEqual(10);
      const mismatches: string[] = [];
      const javascriptDiffs: string[] = [];
      for (const { name, width, height, channels } of peer.images) {
        const bytes = new Uint8Array(readFileSync(join(workdir, name)));
        const expected = readFileSync(join(workdir, `${name}.pixels`));
        const format = detectFormat(name, bytes) as ImageFormat;

        // when the worker's decode path on tfjs-node reads it at its own size
        const ours = imageInput(format, bytes, identity(width, height), {
          ...LIMITS,
          native: 'cpu',
        });
        // and, for the record, the JavaScript decoders the wasm backend uses
        const javascript = imageInput(format, bytes, identity(width, height), LIMITS);

        // then every sample equals Python's
        let differing = 0;
        let jsMax = 0;
        let jsSum = 0;
        for (let p = 0; p < width * height; p++) {
          for (let c = 0; c < 3; c++) {
            const want = peerSample(expected, channels, p, c);
            if (ours[p * 3 + c] !== want) differing++;
            const off = Math.abs(javascript[p * 3 + c] - want);
            jsMax = Math.max(jsMax, off);
            jsSum += off;
          }
        }
        if (differing > 0) mismatches.push(`${name}: ${differing} samples differ`);
        javascriptDiffs.push(
          `${name}: max ${jsMax}, mean ${(jsSum / (width * height * 3)).toFixed(3)}`,
        );
      }
      process.stderr.write(
        `[tf-decode] JavaScript decoders (wasm) against tf.io.decode_*, in levels:\n  ${javascriptDiffs.join('\n  ')}\n`,
      );
      expect(mismatches).toEqual([]);
    });

    it("finds Python's JPEG defaults to be the fast integer DCT with smooth chroma upsampling", () => {
      // given which explicit tf.io.decode_jpeg arguments give the default's pixels, per JPEG
      const jpegs = peer.images.filter((image) => image.defaultEquals !== undefined);
      // then the default dct_method "" is INTEGER_FAST on every one, INTEGER_ACCURATE differs
      // on some, and fancy_upscaling=False differs on the chroma-subsampled ones (4:2:0)
      expect(jpegs.every((image) => image.defaultEquals!.includes('dct_method=INTEGER_FAST'))).toBe(
        true,
      );
      expect(
        jpegs.some((image) => !image.defaultEquals!.includes('dct_method=INTEGER_ACCURATE')),
      ).toBe(true);
      expect(jpegs.some((image) => !image.defaultEquals!.includes('fancy_upscaling=False'))).toBe(
        true,
      );
    });

    it('resizes to 224x224 exactly as tf.image.resize does', () => {
      const mismatches: string[] = [];
      for (const { name } of peer.images) {
        // given Python's tf.image.resize of its decoded pixels to 224x224
        const bytes = new Uint8Array(readFileSync(join(workdir, name)));
        const file = readFileSync(join(workdir, `${name}.224.f32`));
        const expected = new Float32Array(file.buffer, file.byteOffset, file.byteLength / 4);

        // when the worker's decode path reads it at 224x224
        const format = detectFormat(name, bytes) as ImageFormat;
        const ours = imageInput(format, bytes, identity(224, 224), { ...LIMITS, native: 'cpu' });

        // then every value is the same float32
        let maxDiff = 0;
        for (let i = 0; i < expected.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(ours[i] - expected[i]));
        }
        if (maxDiff > 0) mismatches.push(`${name}: max difference ${maxDiff}`);
      }
      expect(mismatches).toEqual([]);
    });

    it("fails truncated and corrupt photos as one record each, with TensorFlow's reason", () => {
      // given the first half of a JPEG and of a PNG, and a PNG whose IHDR fails its CRC
      const read = (name: string) => new Uint8Array(readFileSync(join(workdir, name)));
      const jpeg = read(peer.images[0].name);
      const png = read(peer.images[7].name);
      const bad = png.slice();
      bad[29] ^= 0xff;
      const cases = [
        ['half.jpg', jpeg.subarray(0, jpeg.length >> 1)],
        ['half.png', png.subarray(0, png.length >> 1)],
        ['bad-ihdr.png', bad],
      ] as const;

      // when each is read at the per-object boundary on tfjs-node
      const failures = cases.map(([key, bytes]) =>
        objectRecords(key, bytes, identity(224, 224), { ...LIMITS, native: 'cpu' }),
      );

      // then each is one DECODE_FAILED record naming the format and what TensorFlow found
      expect(failures.map((records) => [records.samples.length, records.failures])).toEqual([
        [
          0,
          [
            {
              offset: 0,
              code: 'DECODE_FAILED',
              reason: 'JPEG corrupt: jpeg::Uncompress failed. Invalid JPEG data or crop window.',
            },
          ],
        ],
        [
          0,
          [
            {
              offset: 0,
              code: 'DECODE_FAILED',
              reason: `PNG corrupt: Invalid PNG data, size ${png.length >> 1}`,
            },
          ],
        ],
        [
          0,
          [{ offset: 0, code: 'DECODE_FAILED', reason: expect.stringMatching(/^PNG corrupt: \S/) }],
        ],
      ]);
    });
  });
});
