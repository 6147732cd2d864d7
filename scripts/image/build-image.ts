/**
 * `npm run image:build [-- --variant cpu|gpu]`: builds container/Dockerfile without a Docker
 * engine (buildah), FROM base images made on this machine (local-base-images.ts). Tags
 * localhost/gbi-worker:<variant>; prints its size and the build time.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTool } from '../../container/native/run-tool';
import { NATIVE_VARIANTS, NativeVariant } from '../../container/native/native-location';
import { ensureLocalBaseImages } from './local-base-images';

export function workerImage(variant: NativeVariant): string {
  return `localhost/gbi-worker:${variant}`;
}

/** The host's CA bundle, passed into the build where TLS to the registries is intercepted. */
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';

export async function buildImage(
  variant: NativeVariant,
  log: (line: string) => void,
): Promise<void> {
  const { baseImage, nodeImage } = await ensureLocalBaseImages(log);
  const started = Date.now();
  const root = resolve(__dirname, '..', '..');
  const ca = existsSync(HOST_CA)
    ? [
        '-v',
        `${HOST_CA}:/run/host-ca.pem:ro`,
        '--build-arg',
        'NODE_EXTRA_CA_CERTS=/run/host-ca.pem',
        '--build-arg',
        'PIP_CERT=/run/host-ca.pem',
      ]
    : [];
  log(`buildah bud ${workerImage(variant)} (VARIANT=${variant})`);
  await runTool(
    'buildah bud',
    'buildah',
    [
      'bud',
      '--isolation',
      'chroot',
      '--network',
      'host',
      '--pull=never',
      '--layers',
      ...ca,
      '--build-arg',
      `VARIANT=${variant}`,
      '--build-arg',
      `NODE_IMAGE=${nodeImage}`,
      '--build-arg',
      `BASE_IMAGE=${baseImage}`,
      '-f',
      'container/Dockerfile',
      '-t',
      workerImage(variant),
      '.',
    ],
    {
      cwd: root,
      log: (line) => /^(STEP|COMMIT|\[setup:native\]|.*check-native)/.test(line) && log(line),
    },
  );
  const size = await runTool('podman image inspect', 'podman', [
    'image',
    'inspect',
    '--format',
    '{{.Size}}',
    workerImage(variant),
  ]);
  log(
    `${workerImage(variant)}: ${(Number(size) / 1e6).toFixed(0)} MB, built in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  let variant: NativeVariant = 'cpu';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--variant' && NATIVE_VARIANTS.includes(argv[i + 1] as NativeVariant)) {
      variant = argv[++i] as NativeVariant;
    } else {
      throw new Error(`image:build: unknown argument '${argv[i]}'; usage: [--variant cpu|gpu]`);
    }
  }
  await buildImage(variant, (line) => process.stderr.write(`[image:build] ${line}\n`));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`[image:build] failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
