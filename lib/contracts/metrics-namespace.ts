/** CloudWatch namespace of the pipeline's Lambda metrics (batcher and finisher) when the stack sets none. */
export const DEFAULT_METRICS_NAMESPACE = 'GpuBatchInference';
