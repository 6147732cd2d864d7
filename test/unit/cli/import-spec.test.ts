import { ModelImportError } from '../../../scripts/cli/import/errors';
import { inputSpecOf, specFromFlags, specFromJson } from '../../../scripts/cli/import/import-spec';

describe('import metadata from flags and files', () => {
  it('reads an image shape, normalisation and labels from flags', () => {
    // given the flags of an RGB model
    const spec = specFromFlags({
      input: 'image',
      shape: '224x224x3',
      scale: '0.00392156862745098',
      mean: '0.485, 0.456,0.406',
      std: '0.229,0.224,0.225',
      'channel-order': 'BGR',
      labels: 'cat, dog',
      'top-k': '1',
    });
    // when / then the spec holds them as numbers and lists
    expect(spec).toEqual({
      input: 'image',
      shape: [224, 224, 3],
      scale: 0.00392156862745098,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      channelOrder: 'BGR',
      labels: ['cat', 'dog'],
      topK: 1,
    });
  });

  it('names the flag whose value is not a number', () => {
    // when a shape and a scale are not numbers / then each error names its flag
    expect(() => specFromFlags({ shape: '224xWx3' })).toThrow(
      "--shape: expected numbers separated by 'x' or ',', got '224xWx3'",
    );
    expect(() => specFromFlags({ scale: '' })).toThrow("--scale: expected a number, got ''");
  });

  it('names every unknown or mistyped field of a metadata file', () => {
    // given a file with an unknown field and a mean of strings
    const parse = () =>
      specFromJson({ input: 'image', means: [1], mean: ['0.5'] }, 'metadata file m.json');
    // when / then both are named with the file
    expect(parse).toThrow(ModelImportError);
    expect(parse).toThrow(
      /^metadata file m\.json: means: unknown field .*; mean: expected an array of numbers$/,
    );
  });

  it('builds the registry input of an image model, offset defaulting to 0', () => {
    // given an image spec without offset / when converted
    const input = inputSpecOf({ input: 'image', shape: [32, 16, 1], scale: 1 });
    // then height and width come from the shape, in that order
    expect(input).toEqual({
      kind: 'image',
      height: 32,
      width: 16,
      channels: 1,
      scale: 1,
      offset: 0,
    });
  });

  it('refuses an image model without scale and with a shape of 2 channels, naming both', () => {
    // when / then
    expect(() => inputSpecOf({ input: 'image', shape: [8, 8, 2] })).toThrow(
      /shape: an image model takes \[height, width, channels\] with 1 or 3 channels, got \[8,8,2\]; scale: required/,
    );
  });

  it('refuses image preprocessing on a features model, and an unknown input kind', () => {
    // when / then
    expect(() => inputSpecOf({ input: 'features', shape: [4], mean: [0] })).toThrow(
      'mean: only for image input',
    );
    expect(() => inputSpecOf({ input: 'text', shape: [4] })).toThrow(
      `input: expected 'image' or 'features', got "text"`,
    );
  });
});
