import { cpus } from 'node:os';

/**
 * TensorFlow's thread pools for the native backend, as the environment variables its C library
 * reads at context creation (TF_NUM_INTRAOP_THREADS, TF_NUM_INTEROP_THREADS), plus its log level.
 * Values already set win. The defaults come from `npm run bench:threads` (docs/benchmarks.md,
 * Native thread counts): intra-op one thread per core, because on 2 cores intra-op 2 scored
 * 3-8x and trained 3x faster than intra-op 1; inter-op 1, because inter-op 2 was within the
 * run-to-run spread (a little faster at scoring, slower at training) and tfjs-node runs eager
 * ops one at a time, so a second inter-op thread has nothing of ours to run in parallel and
 * only competes with the decode threads for the cores.
 */
export function nativeThreadEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    TF_NUM_INTRAOP_THREADS: env.TF_NUM_INTRAOP_THREADS ?? String(cpus().length),
    TF_NUM_INTEROP_THREADS: env.TF_NUM_INTEROP_THREADS ?? '1',
    // INFO lines (oneDNN notice, CPU feature guard) would fill every job log.
    TF_CPP_MIN_LOG_LEVEL: env.TF_CPP_MIN_LOG_LEVEL ?? '1',
  };
}
