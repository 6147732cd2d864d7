import { preprocessImage } from '../../../container/src/infer/input/preprocess-image';

function rgbaOf(width: number, height: number, pixel: (x: number, y: number) => number[]) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

describe('preprocessImage', () => {
  it('applies pixel * scale + offset to a same-size grayscale image', () => {
    // given a 2x1 gray image with values 0 and 255
    const image = rgbaOf(2, 1, (x) => (x === 0 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    // when preprocessed to 2x1x1 with scale 1/127.5 and offset -1
    const out = preprocessImage(image, {
      kind: 'image',
      width: 2,
      height: 1,
      channels: 1,
      scale: 1 / 127.5,
      offset: -1,
    });
    // then values map to -1 and 1
    expect(Array.from(out)).toEqual([-1, expect.closeTo(1, 5)]);
  });

  it('converts colour to luminance for a one-channel model', () => {
    // given a pure red pixel
    const image = rgbaOf(1, 1, () => [255, 0, 0, 255]);
    // when preprocessed to one channel without scaling
    const out = preprocessImage(image, {
      kind: 'image',
      width: 1,
      height: 1,
      channels: 1,
      scale: 1,
      offset: 0,
    });
    // then it is the red weight of the luminance
    expect(out[0]).toBeCloseTo(0.299 * 255, 3);
  });

  it('keeps RGB channels in HWC order for a three-channel model', () => {
    // given one pixel (10, 20, 30)
    const image = rgbaOf(1, 1, () => [10, 20, 30, 255]);
    // when preprocessed to three channels
    const out = preprocessImage(image, {
      kind: 'image',
      width: 1,
      height: 1,
      channels: 3,
      scale: 1,
      offset: 0,
    });
    // then the channels come in order
    expect(Array.from(out)).toEqual([10, 20, 30]);
  });

  it('resizes a larger image to the model size by interpolation', () => {
    // given a 56x56 image, left half black, right half white
    const image = rgbaOf(56, 56, (x) => (x < 28 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    // when resized to 28x28
    const out = preprocessImage(image, {
      kind: 'image',
      width: 28,
      height: 28,
      channels: 1,
      scale: 1 / 255,
      offset: 0,
    });
    // then the output has 784 values, black on the left edge and white on the right edge
    expect(out).toHaveLength(784);
    expect(out[0]).toBeCloseTo(0, 5);
    expect(out[27]).toBeCloseTo(1, 5);
  });

  it('subtracts the mean and divides by the std of each channel after scale and offset', () => {
    // given one pixel (51, 102, 153)
    const image = rgbaOf(1, 1, () => [51, 102, 153, 255]);
    // when preprocessed with scale 1/255 and per-channel mean and std
    const out = preprocessImage(image, {
      kind: 'image',
      width: 1,
      height: 1,
      channels: 3,
      scale: 1 / 255,
      offset: 0,
      mean: [0.1, 0.2, 0.3],
      std: [0.5, 0.25, 0.2],
    });
    // then each channel is (pixel / 255 - mean) / std
    expect(Array.from(out)).toEqual([
      expect.closeTo((0.2 - 0.1) / 0.5, 6),
      expect.closeTo((0.4 - 0.2) / 0.25, 6),
      expect.closeTo((0.6 - 0.3) / 0.2, 6),
    ]);
  });

  it('puts the channels in BGR order when the model takes BGR, mean and std in that order', () => {
    // given one pixel (10, 20, 30)
    const image = rgbaOf(1, 1, () => [10, 20, 30, 255]);
    // when preprocessed for a BGR model whose first channel (blue) has mean 30
    const out = preprocessImage(image, {
      kind: 'image',
      width: 1,
      height: 1,
      channels: 3,
      scale: 1,
      offset: 0,
      channelOrder: 'BGR',
      mean: [30, 0, 0],
      std: [1, 1, 2],
    });
    // then blue comes first (minus its mean), green, then red over its std
    expect(Array.from(out)).toEqual([0, 20, 5]);
  });

  it('normalises the luminance of a one-channel model with its single mean and std', () => {
    // given a white pixel
    const image = rgbaOf(1, 1, () => [255, 255, 255, 255]);
    // when preprocessed to one channel with mean 0.5 and std 0.25
    const out = preprocessImage(image, {
      kind: 'image',
      width: 1,
      height: 1,
      channels: 1,
      scale: 1 / 255,
      offset: 0,
      mean: [0.5],
      std: [0.25],
    });
    // then it is (1 - 0.5) / 0.25
    expect(out[0]).toBeCloseTo(2, 5);
  });
});
