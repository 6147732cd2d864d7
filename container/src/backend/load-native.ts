import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import util from 'node:util';
import {
  NATIVE_PACKAGE,
  NativeVariant,
  nativePackageDir,
  nativeRoot,
  readNativeStatus,
} from '../../native/native-location';

/** The native binding this process loaded: its module and the folder of its compiled JavaScript. */
export interface LoadedBinding {
  /** The package's exports: tfjs plus `node` (loadSavedModel, decodeImage, ...). */
  readonly module: unknown;
  /** Its `dist` folder, where the generated protobuf code (proto/api_pb.js) lives. */
  readonly distDir: string;
}

let loadedBinding: LoadedBinding | undefined;

/** The binding loadNative loaded in this process, or undefined when none did. */
export function loadedNativeBinding(): LoadedBinding | undefined {
  return loadedBinding;
}

export type NativeLoad =
  | {
      readonly loaded: true;
      readonly variant: NativeVariant;
      readonly usingGpu: boolean;
      /** The binding's exports (tf.node's image decoders among them). */
      readonly binding: unknown;
    }
  | { readonly loaded: false; readonly reason: string };

/**
 * Loads a native binding (tfjs-node-gpu, else tfjs-node): from node_modules when installed
 * there, else from the project's build (`npm run setup:native`, container/native/). Importing
 * one registers the 'tensorflow' backend with the shared tfjs-core. When none loads, the reason
 * says why: no build yet, the build's recorded failure (naming the missing prerequisite), or the
 * load error itself (a missing CUDA library, say).
 */
export function loadNative(
  variants: readonly NativeVariant[],
  env: NodeJS.ProcessEnv = process.env,
): NativeLoad {
  restoreIsNullOrUndefined();
  const root = nativeRoot(env);
  const reasons: string[] = [];
  for (const variant of variants) {
    const packageName = `@tensorflow/${NATIVE_PACKAGE[variant]}`;
    const built = nativePackageDir(root, variant);
    const candidates = [packageName, ...(existsSync(built) ? [built] : [])];
    for (const specifier of candidates) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tf = require(specifier) as { backend(): { isUsingGpuDevice?: boolean } };
        loadedBinding = { module: tf, distDir: dirname(require.resolve(specifier)) };
        return {
          loaded: true,
          variant,
          usingGpu: tf.backend().isUsingGpuDevice === true,
          binding: tf,
        };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'MODULE_NOT_FOUND' && specifier === packageName) continue;
        reasons.push(`${packageName} failed to load: ${firstLine(error)}`);
      }
    }
    if (!existsSync(built)) reasons.push(notBuiltReason(root, variant));
  }
  return { loaded: false, reason: reasons.join('; ') };
}

function notBuiltReason(root: string, variant: NativeVariant): string {
  const name = `@tensorflow/${NATIVE_PACKAGE[variant]}`;
  const status = readNativeStatus(root, variant);
  if (status?.ok === false) return `${name} not built: ${status.reason}`;
  return `${name} not built (npm run setup:native${variant === 'gpu' ? ' -- --variant gpu' : ''})`;
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0];
}

/**
 * tfjs-node 4.22 calls util.isNullOrUndefined, which Node.js 23 removed (deprecated since 4):
 * on Node 24, the image's runtime, every kernel with an optional attribute throws "is not a
 * function". Restored with its documented meaning before the binding loads.
 */
function restoreIsNullOrUndefined(): void {
  const nodeUtil = util as unknown as { isNullOrUndefined?: (value: unknown) => boolean };
  nodeUtil.isNullOrUndefined ??= (value) => value === null || value === undefined;
}
