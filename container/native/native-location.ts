import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the natively built TensorFlow bindings live. Shared by the setup command that builds them
 * (container/native/setup-native.ts) and the worker that loads them
 * (container/src/backend/load-native.ts), so both agree without configuration.
 */

/** The two builds: tfjs-node on the tensorflow-cpu wheel, tfjs-node-gpu on the GPU wheel. */
export type NativeVariant = 'cpu' | 'gpu';
export const NATIVE_VARIANTS: readonly NativeVariant[] = ['cpu', 'gpu'];

/** The npm package each variant builds. */
export const NATIVE_PACKAGE = { cpu: 'tfjs-node', gpu: 'tfjs-node-gpu' } as const;
export type NativePackage = (typeof NATIVE_PACKAGE)[NativeVariant];

/** The variant a backend name ('tfjs-node', 'tfjs-node-gpu') runs on; undefined for the others. */
export function nativeVariantOf(backend: string): NativeVariant | undefined {
  return NATIVE_VARIANTS.find((variant) => NATIVE_PACKAGE[variant] === backend);
}

/** Overrides the folder of the builds (the image sets /app/.native). */
export const NATIVE_DIR_ENV = 'GBI_NATIVE_DIR';

/**
 * `<project>/.native`, or GBI_NATIVE_DIR. The folder must sit beside the project's node_modules
 * (a sibling of it, or below a sibling): the built package's own copy of @tensorflow/tfjs is
 * removed, so Node's lookup walks up to the project's, and the 'tensorflow' backend registers
 * with the same tfjs-core the worker imports.
 */
export function nativeRoot(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[NATIVE_DIR_ENV];
  if (override !== undefined && override !== '') return resolve(override);
  return join(projectRoot(__dirname) ?? process.cwd(), '.native');
}

/** The built package's folder: `<root>/<variant>/node_modules/@tensorflow/<package>`. */
export function nativePackageDir(root: string, variant: NativeVariant): string {
  return join(root, variant, 'node_modules', '@tensorflow', NATIVE_PACKAGE[variant]);
}

/** The setup's outcome for a variant (NativeStatus), read by the worker to explain a fallback. */
export function nativeStatusFile(root: string, variant: NativeVariant): string {
  return join(root, variant, 'status.json');
}

/** What the last `setup:native` of a variant recorded, or undefined when it never ran. */
export function readNativeStatus(root: string, variant: NativeVariant): NativeStatus | undefined {
  try {
    return JSON.parse(readFileSync(nativeStatusFile(root, variant), 'utf8')) as NativeStatus;
  } catch {
    return undefined;
  }
}

/** What the last `setup:native` of a variant did. */
export interface NativeStatus {
  readonly variant: NativeVariant;
  readonly ok: boolean;
  /** Why the build is missing, naming the missing prerequisite; set when ok is false. */
  readonly reason?: string;
  /** @tensorflow/tfjs version the package was installed at. */
  readonly tfjsVersion: string;
  /** The pinned wheel requirement lines (name, version and sha256) it was built from. */
  readonly pins: string;
  /** TensorFlow version the loaded binding reports; set when ok. */
  readonly tensorflowVersion?: string;
  /** process.version of the Node.js that ran the setup; absent in records made before it was kept. */
  readonly nodeVersion?: string;
  /** The Node-API version the addon was compiled for (its lib/napi-v<N>/); set when ok. */
  readonly napiVersion?: number;
  readonly builtAt: string;
}

/** The nearest folder at or above `from` holding a package.json, or undefined. */
function projectRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
