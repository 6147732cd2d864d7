/** The TensorFlow.js backends the worker can run on, by the name logged and put in summaries. */
export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export type Purpose = 'infer' | 'train';

export interface BackendChoice {
  readonly name: BackendName;
  /** Why this backend, for the start-up log line. */
  readonly reason: string;
}

/**
 * Which backend to run on: the override when set, else the native bindings when they load (the
 * GPU image has tfjs-node-gpu, the CPU image and `npm run setup:native` tfjs-node), else wasm,
 * the fastest portable backend; training on wasm
 * adds the gradient kernels it lacks (container/src/train/wasm-gradient-kernels.ts).
 */
export function chooseBackend(
  purpose: Purpose,
  override: string | undefined,
  installed: ReadonlySet<BackendName>,
  /** Why no native binding loaded, for the wasm fallback's reason. */
  nativeUnavailable?: string,
): BackendChoice {
  if (override !== undefined && override !== '') {
    if (!(BACKENDS as readonly string[]).includes(override)) {
      throw new Error(`TFJS_BACKEND: '${override}' is not one of ${BACKENDS.join(', ')}`);
    }
    const name = override as BackendName;
    if ((name === 'tfjs-node-gpu' || name === 'tfjs-node') && !installed.has(name)) {
      throw new Error(
        `TFJS_BACKEND: ${name} was requested but is not available: ${nativeUnavailable ?? `@tensorflow/${name} is not installed`}`,
      );
    }
    return { name, reason: 'TFJS_BACKEND override' };
  }
  if (installed.has('tfjs-node-gpu'))
    return { name: 'tfjs-node-gpu', reason: 'native GPU bindings installed' };
  if (installed.has('tfjs-node'))
    return { name: 'tfjs-node', reason: 'native CPU bindings installed' };
  return {
    name: 'wasm',
    reason: `${nativeUnavailable ?? 'no native bindings installed'}; wasm is the fastest portable backend for ${purpose === 'infer' ? 'inference' : 'training'}`,
  };
}
