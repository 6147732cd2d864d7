import { cpus } from 'node:os';

/**
 * TensorFlow's thread pools for the native backend, as the environment variables its C library
 * reads at context creation (TF_NUM_INTRAOP_THREADS, TF_NUM_INTEROP_THREADS), plus its log level.
 * Values already set win; the defaults were chosen by `npm run bench:threads`
 * (docs/benchmarks.md): intra-op one thread per core, inter-op 1, because the worker runs one
 * model call at a time and a second inter-op thread only contends for the same cores.
 */
export function nativeThreadEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return {
    TF_NUM_INTRAOP_THREADS: env.TF_NUM_INTRAOP_THREADS ?? String(cpus().length),
    TF_NUM_INTEROP_THREADS: env.TF_NUM_INTEROP_THREADS ?? '1',
    // INFO lines (oneDNN notice, CPU feature guard) would fill every job log.
    TF_CPP_MIN_LOG_LEVEL: env.TF_CPP_MIN_LOG_LEVEL ?? '1',
  };
}
