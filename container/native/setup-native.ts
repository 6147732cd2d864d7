/**
 * `npm run setup:native [-- --variant cpu|gpu] [--force]`: builds the native TensorFlow binding
 * (tfjs-node, or tfjs-node-gpu) against the pinned TensorFlow wheel; cached after the first run.
 * Exits 1 naming what is missing when it cannot; the worker then runs on wasm and says why.
 */
import { buildNative } from './build-native';
import { NATIVE_VARIANTS, NativeVariant, nativeRoot } from './native-location';

function parseArgs(argv: readonly string[]): { variant: NativeVariant; force: boolean } {
  let variant: NativeVariant = 'cpu';
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') force = true;
    else if (arg === '--variant' && NATIVE_VARIANTS.includes(argv[i + 1] as NativeVariant)) {
      variant = argv[++i] as NativeVariant;
    } else {
      throw new Error(
        `setup:native: unknown argument '${arg}'; usage: [--variant cpu|gpu] [--force]`,
      );
    }
  }
  return { variant, force };
}

async function main(): Promise<void> {
  const { variant, force } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[setup:native] ${line}\n`);
  const started = Date.now();
  await buildNative({ variant, root: nativeRoot(), force, log });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[setup:native] failed: ${(error as Error).message}\n`);
  process.exit(1);
});
