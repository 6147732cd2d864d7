/**
 * Image decoding on its own: ms per JPEG per core, at 1 and 2 decode threads, through
 * TensorFlow's decoders (tfjs-node) and the JavaScript ones (jpeg-js, the wasm fallback), each
 * JPEG decoded, resized to 224x224 and normalised as MobileNetV2's metadata says. The photos are
 * the decoding test's (scripts/peer/decode_images_peer.py: 224-640 px, 4:2:0 and 4:4:4,
 * baseline and progressive, gray), each submitted REPEAT times per pass.
 *
 *   npx tsx scripts/bench/real/bench-decode.ts [--rounds N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative } from '../../../container/src/backend/load-native';
import { ensurePeerVenv, runPeerScript } from '../compute/peer-runner';
import { measureDecodeRate } from './decode-rate';

const REPEAT = 20;
const SPEC = {
  kind: 'image',
  width: 224,
  height: 224,
  channels: 3,
  scale: 1 / 127.5,
  offset: -1,
} as const;

async function main(): Promise<void> {
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 5;
  const workdir = mkdtempSync(join(tmpdir(), 'bench-decode-'));
  try {
    ensurePeerVenv((line) => process.stderr.write(`${line}\n`));
    const listed = runPeerScript('decode_images_peer.py', [workdir]) as {
      images: { name: string }[];
    };
    const jpegs = listed.images
      .filter((image) => image.name.endsWith('.jpg'))
      .map((image) => ({ key: image.name, bytes: readFileSync(join(workdir, image.name)) }));
    const images = Array.from({ length: REPEAT }, () => jpegs).flat();
    const decoders = loadNative(['cpu']).loaded
      ? ([
          ['tfjs-node (TensorFlow DecodeJpeg + ResizeBilinear)', 'cpu'],
          ['jpeg-js', undefined],
        ] as const)
      : ([['jpeg-js', undefined]] as const);
    console.log(
      `${images.length} JPEGs per pass (${jpegs.length} photos x ${REPEAT}), 224x224x3 out, median of ${rounds} passes`,
    );
    console.log('| decoder | threads | ms per JPEG (wall) | ms per JPEG per core |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, native] of decoders) {
      for (const threads of [1, 2]) {
        const rate = await measureDecodeRate(images, SPEC, {
          threads,
          rounds,
          ...(native ? { native } : {}),
        });
        console.log(
          `| ${name} | ${threads} | ${rate.msPerImage.toFixed(2)} | ${rate.msPerImagePerCore.toFixed(2)} |`,
        );
      }
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
