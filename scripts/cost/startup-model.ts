import { sassFor, TARGET_GPUS } from '../../container/native/cuda-kernels';
import type { GpuInstanceType } from './cost-prices';

/** What a fresh instance costs before its first record: the image pull, the JIT, the model load. */
export interface StartupAssumptions {
  /** From instance `running` to the ECS agent taking the job: billed, no work done. */
  readonly bootSeconds: number;
  /**
   * The worker image a fresh instance pulls (billed): its size unpacked, the share of that its
   * gzip layers take on the wire, and the rates of the three stages a pull streams through:
   * fetch from ECR, gzip inflate (one core per layer), write to the root volume. The slowest
   * stage sets the pull time (imagePullSeconds).
   */
  readonly imageMegabytes: number;
  readonly imageCompressedShare: number;
  readonly registryMegabytesPerSecond: number;
  readonly inflateMegabytesPerSecond: number;
  readonly diskMegabytesPerSecond: number;
  /** Compute capabilities the image's CUDA libraries carry SASS for (the GPU build's check). */
  readonly imageSass: readonly number[];
  /** The driver's PTX JIT at first use, paid only on a GPU without matching SASS: billed. */
  readonly ptxJitSeconds: number;
  /** Reading the model from S3 and compiling kernels with the warm-up record: billed. */
  readonly modelLoadSeconds: number;
}

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
