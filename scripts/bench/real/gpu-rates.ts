/**
 * Published inference rates of the GPUs of AWS's 4-vCPU GPU instances, for the "Feeding a GPU"
 * table. All are MLPerf Inference results (closed division, datacenter, Offline scenario: the
 * whole query at once, like a batch job), NVIDIA's submissions with TensorRT at INT8, read from
 * each round's mlperf_log_summary.txt ("Samples per second"). MLPerf has no MobileNetV2; its
 * datacenter suite had MobileNet-v1 in round v0.5 only, which NVIDIA ran on T4.
 */
export interface GpuInstance {
  readonly instance: string;
  readonly gpu: string;
  readonly vcpus: number;
  /** The published MobileNet rate, as the table shows it. */
  readonly mobileNet: string;
  /** The published ResNet-50 v1.5 rate, as the table shows it. */
  readonly resNet50: string;
}

export const GPU_INSTANCES: readonly GpuInstance[] = [
  {
    instance: 'g4dn.xlarge',
    gpu: 'T4',
    vcpus: 4,
    // 141,807 samples/s on 8 x T4 (v0.5, system T4x8), per GPU.
    mobileNet: '17,726 (MobileNet-v1, v0.5, 8 x T4 / 8)',
    resNet50: '6,036 (v0.7, 1 x T4)',
  },
  {
    instance: 'g5.xlarge',
    gpu: 'A10G',
    vcpus: 4,
    mobileNet: 'not published',
    // The A10; AWS's A10G is its variant with the same Ampere GA102 chip.
    resNet50: '13,805 (v1.1, 1 x A10)',
  },
  {
    instance: 'g6.xlarge',
    gpu: 'L4',
    vcpus: 4,
    mobileNet: 'not published',
    resNet50: '12,882 (v3.1, 1 x L4)',
  },
];

export const GPU_RATE_SOURCES =
  'Source: MLCommons, "MLPerf Inference" results, closed division, datacenter, Offline scenario, NVIDIA submissions (TensorRT, INT8): round v0.5 (published 6 November 2019) for MobileNet-v1 on T4, v0.7 (21 October 2020) for ResNet-50 v1.5 on T4, v1.1 (22 September 2021) on A10 and v3.1 (11 September 2023) on L4. MLPerf has no MobileNetV2; its MobileNet-v1 needs about 1.8x the multiply-adds of MobileNetV2 (569 M against 300 M, from the two models\' papers), so a GPU scores MobileNetV2 at least as fast. These are INT8 TensorRT engines, the fastest a GPU goes; the worker runs TensorFlow at float32 (tfjs-node-gpu), several times slower on the same GPU, so the table shows the most a GPU could take, not what the worker gets from it.';
