import type { BackendName } from '../../../container/src/backend/choose-backend';
import { IN_FLIGHT, LatencyPlan } from '../io/latency-bench';
import { S3_SMALL_GET_PROFILE } from '../io/latency-profile';

export const BENCH_SIZES = ['small', 'medium', 'full'] as const;
export type BenchSize = (typeof BENCH_SIZES)[number];

/** How much work each benchmark does at a size. */
export interface BenchPlan {
  readonly size: BenchSize;
  readonly batchSizes: readonly number[];
  /** Each timed measurement runs at least this long. */
  readonly minSeconds: number;
  readonly matmulSize: number;
  /** Why the Python peer is left out at this size, or undefined when it runs. */
  readonly peerSkipReason?: string;
  /**
   * Our backends, each measured in turn; one not available (tfjs-node before `npm run
   * setup:native`) is reported as skipped with the reason. The peer runs once per thread
   * setting these ran with.
   */
  readonly backends: readonly BackendName[];
  /** Rounds of ours-then-peer; every rate reported is the median over them. */
  readonly rounds: number;
  /** Files uploaded per end-to-end run. */
  readonly endToEndFiles: readonly number[];
  /** The worker at S3's latency (npm run bench:latency's measurement). */
  readonly latency: LatencyPlan;
}

export class BenchSizeError extends Error {
  override readonly name = 'BenchSizeError';
}

const PEER_BATCH_SIZES = [1, 8, 32, 128, 256];

const latencyPlan = (images: number, inFlight: readonly number[], rounds: number): LatencyPlan => ({
  images,
  inFlight,
  rounds,
  profile: S3_SMALL_GET_PROFILE,
  seed: 1,
  perTar: Math.min(1000, images / 2),
  serverSeconds: rounds === 1 ? 0.5 : 3,
});
const BACKENDS: readonly BackendName[] = ['tfjs-node', 'wasm'];

export function benchPlan(size: string): BenchPlan {
  switch (size) {
    case 'small':
      return {
        size,
        batchSizes: [1, 32],
        minSeconds: 0.2,
        matmulSize: 512,
        peerSkipReason:
          'the smallest size (what the test suite runs) leaves out the Python peer: installing tensorflow-cpu takes minutes and ~250 MB; run --size medium or full for it',
        backends: BACKENDS,
        rounds: 1,
        endToEndFiles: [40],
        latency: latencyPlan(100, [16, 64], 1),
      };
    case 'medium':
      return {
        size,
        batchSizes: PEER_BATCH_SIZES,
        minSeconds: 1,
        matmulSize: 1024,
        backends: BACKENDS,
        rounds: 3,
        endToEndFiles: [1_000],
        latency: latencyPlan(2_000, IN_FLIGHT, 3),
      };
    case 'full':
      return {
        size,
        batchSizes: PEER_BATCH_SIZES,
        minSeconds: 3,
        matmulSize: 1024,
        backends: BACKENDS,
        rounds: 3,
        endToEndFiles: [1_000, 10_000],
        latency: latencyPlan(5_000, IN_FLIGHT, 3),
      };
    default:
      throw new BenchSizeError(`--size: expected one of small, medium, full, got '${size}'`);
  }
}
