import { sassFor, TARGET_GPUS } from '../../container/native/cuda-kernels';
import type { Assumptions } from './cost-model';
import type { GpuInstanceType } from './cost-prices';

type StartupAssumptions = Pick<
  Assumptions,
  | 'bootSeconds'
  | 'imageMegabytes'
  | 'imageCompressedShare'
  | 'registryMegabytesPerSecond'
  | 'inflateMegabytesPerSecond'
  | 'diskMegabytesPerSecond'
  | 'imageSass'
  | 'ptxJitSeconds'
  | 'modelLoadSeconds'
>;

/**
 * Seconds to pull the worker image onto a fresh instance. A pull streams each layer through
 * fetch, gzip inflate and the write to disk at once, so the slowest stage sets its length:
 * the compressed bytes at the fetch and inflate rates, the unpacked bytes at the disk's.
 */
export function imagePullSeconds(a: StartupAssumptions): number {
  const compressed = a.imageMegabytes * a.imageCompressedShare;
  return Math.max(
    compressed / a.registryMegabytesPerSecond,
    compressed / a.inflateMegabytesPerSecond,
    a.imageMegabytes / a.diskMegabytesPerSecond,
  );
}

/** The instance family's GPU, by the prefix of the type (g4dn.xlarge is a g4dn). */
function gpuOf(type: GpuInstanceType): { gpu: string; sm: number } {
  return TARGET_GPUS[type.split('.')[0] as keyof typeof TARGET_GPUS];
}

/**
 * The PTX JIT a job pays at start on this type: none when the image carries SASS the GPU runs
 * (CUDA's binary compatibility, the same rule the GPU build checks), else the stated JIT time.
 */
export function ptxJitSeconds(a: StartupAssumptions, type: GpuInstanceType): number {
  return sassFor(gpuOf(type).sm, { sass: a.imageSass, ptx: [] }) === undefined
    ? a.ptxJitSeconds
    : 0;
}

export interface ColdStart {
  readonly bootSeconds: number;
  readonly pullSeconds: number;
  readonly jitSeconds: number;
  readonly modelLoadSeconds: number;
  readonly totalSeconds: number;
}

/** Billed seconds from a fresh instance running to its first scored record. */
export function coldStart(a: StartupAssumptions, type: GpuInstanceType): ColdStart {
  const pullSeconds = imagePullSeconds(a);
  const jitSeconds = ptxJitSeconds(a, type);
  return {
    bootSeconds: a.bootSeconds,
    pullSeconds,
    jitSeconds,
    modelLoadSeconds: a.modelLoadSeconds,
    totalSeconds: a.bootSeconds + pullSeconds + jitSeconds + a.modelLoadSeconds,
  };
}
