/** A GPU's published inference rate for one model. */
export interface PublishedRate {
  readonly imagesPerSecond: number;
}

export interface GpuInstance {
  readonly instance: string;
  readonly gpu: string;
  readonly vcpus: number;
  /** Undefined where no source we cite publishes MobileNetV2 on this GPU. */
  readonly mobileNetV2?: PublishedRate;
  readonly resNet50: PublishedRate;
}

/** FILLED IN BELOW */
export const GPU_INSTANCES: readonly GpuInstance[] = [];
export const GPU_RATE_SOURCES = '';
