import { DEFAULT_ASSUMPTIONS } from '../../../scripts/cost/cost-model';
import { coldStart, imagePullSeconds, ptxJitSeconds } from '../../../scripts/cost/startup-model';

const a = DEFAULT_ASSUMPTIONS;

describe('imagePullSeconds', () => {
  it('takes as long as the slowest of fetch, inflate and disk write', () => {
    // given a 1,000 MB image at half size on the wire
    const image = { ...a, imageMegabytes: 1_000, imageCompressedShare: 0.5 };
    // when each stage in turn is the slow one
    // then the pull takes that stage's time
    const fast = 1e6;
    expect(
      imagePullSeconds({
        ...image,
        registryMegabytesPerSecond: 10,
        inflateMegabytesPerSecond: fast,
        diskMegabytesPerSecond: fast,
      }),
    ).toBeCloseTo(50);
    expect(
      imagePullSeconds({
        ...image,
        registryMegabytesPerSecond: fast,
        inflateMegabytesPerSecond: 25,
        diskMegabytesPerSecond: fast,
      }),
    ).toBeCloseTo(20);
    expect(
      imagePullSeconds({
        ...image,
        registryMegabytesPerSecond: fast,
        inflateMegabytesPerSecond: fast,
        diskMegabytesPerSecond: 100,
      }),
    ).toBeCloseTo(10);
  });

  it('grows with the image: the CPU variant pulls faster than the GPU one', () => {
    // given the two variants' sizes from container.md
    // when each is pulled with the same rates
    // then the GPU image takes longer in proportion
    const gpu = imagePullSeconds({ ...a, imageMegabytes: 4_824 });
    const cpu = imagePullSeconds({ ...a, imageMegabytes: 1_539 });
    expect(gpu / cpu).toBeCloseTo(4_824 / 1_539);
  });
});

describe('ptxJitSeconds', () => {
  it('is 0 on g4dn, g5 and g6 with the SASS the GPU image carries', () => {
    // given SASS for sm_60/70/80/89/90
    // when each target type starts
    // then none pays a JIT
    for (const type of ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'] as const) {
      expect(ptxJitSeconds(a, type)).toBe(0);
    }
  });

  it('is paid when the image has no SASS of the GPU major architecture', () => {
    // given an image with SASS for sm_80 and sm_90 only (nothing for the T4's sm_75)
    const image = { ...a, imageSass: [80, 90], ptxJitSeconds: 240 };
    // when g4dn and g5 start
    // then g4dn pays the JIT and g5 (sm_86 runs sm_80) does not
    expect(ptxJitSeconds(image, 'g4dn.xlarge')).toBe(240);
    expect(ptxJitSeconds(image, 'g5.xlarge')).toBe(0);
    expect(coldStart(image, 'g4dn.xlarge').totalSeconds).toBeCloseTo(
      coldStart(image, 'g5.xlarge').totalSeconds + 240,
    );
  });
});

describe('coldStart', () => {
  it('adds boot, pull, JIT and model load', () => {
    // given the default assumptions
    // when a g4dn starts cold
    const start = coldStart(a, 'g4dn.xlarge');
    // then the total is the sum of its parts
    expect(start.totalSeconds).toBeCloseTo(
      start.bootSeconds + start.pullSeconds + start.jitSeconds + start.modelLoadSeconds,
    );
    expect(start.pullSeconds).toBeCloseTo(imagePullSeconds(a));
  });
});
