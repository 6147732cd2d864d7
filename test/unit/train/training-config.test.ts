import { TrainConfigError } from '../../../container/src/train/errors';
import { DIGITS_CNN } from '../../../container/src/train/architecture';
import {
  DEFAULT_TRAINING_CONFIG,
  parseFlags,
  resolveTrainingConfig,
} from '../../../container/src/train/training-config';

describe('resolveTrainingConfig', () => {
  it('uses the defaults when there is no config file and no flag', () => {
    // given nothing configured / when resolved
    const config = resolveTrainingConfig(undefined, 'cfg', {});

    // then every field is the default
    expect(config).toEqual(DEFAULT_TRAINING_CONFIG);
  });

  it('lets a flag override the config file, which overrides the default', () => {
    // given a file setting epochs and batch size, and a flag setting epochs
    const file = { epochs: 3, batchSize: 128 };

    // when resolved
    const config = resolveTrainingConfig(file, 'cfg', { '--epochs': '7' });

    // then the flag wins for epochs and the file for batch size
    expect([config.epochs, config.batchSize]).toEqual([7, 128]);
  });

  it('accepts every numeric field from the file and as a flag', () => {
    // given the learning-rate decay and augmentation shift in the file and as flags
    const file = { learningRateDecay: 0.5, augmentShift: 3 };

    // when resolved with and without flags
    const fromFile = resolveTrainingConfig(file, 'cfg', {});
    const fromFlags = resolveTrainingConfig(file, 'cfg', {
      '--learning-rate-decay': '0.9',
      '--augment-shift': '0',
    });

    // then each is read from where it was set
    expect([fromFile.learningRateDecay, fromFile.augmentShift]).toEqual([0.5, 3]);
    expect([fromFlags.learningRateDecay, fromFlags.augmentShift]).toEqual([0.9, 0]);
  });

  it('resolves an architecture preset by name', () => {
    // given the digits preset named in the file / when resolved
    const config = resolveTrainingConfig({ architecture: 'digits-cnn' }, 'cfg', {});

    // then the full spec is used
    expect(config.architecture).toEqual(DIGITS_CNN);
  });

  it('reports every invalid field in one error, naming each', () => {
    // given a file with several mistakes
    const file = { batchSize: 0, learningRate: 'fast', colour: 'red', architecture: 'resnet' };

    // when resolved
    let message = '';
    try {
      resolveTrainingConfig(file, 's3://b/models/m/training-config.json', {});
    } catch (error) {
      message = (error as TrainConfigError).message;
    }

    // then one error lists all of them
    expect(message).toContain('batchSize: 0 is outside 1..65536');
    expect(message).toContain('learningRate: expected a number');
    expect(message).toContain("unknown field 'colour'");
    expect(message).toContain("unknown preset 'resnet'");
  });

  it('rejects a non-integer epochs flag naming the flag', () => {
    // given --epochs 2.5 / when resolved / then the flag is named
    expect(() => resolveTrainingConfig(undefined, 'cfg', { '--epochs': '2.5' })).toThrow(
      /flag --epochs: expected an integer, got '2.5'/,
    );
  });

  it('rejects an architecture object whose input does not fit its kind', () => {
    // given a cnn declared over feature input
    const architecture = {
      kind: 'cnn',
      input: { kind: 'features', size: 4 },
      convFilters: [4],
      kernelSize: 3,
      denseUnits: [],
      dropout: 0,
    };

    // when resolved / then the input field is named
    expect(() => resolveTrainingConfig({ architecture }, 'cfg', {})).toThrow(
      /cfg: architecture\.input: expected \{kind:'image'/,
    );
  });
});

describe('parseFlags', () => {
  it('reads flag/value pairs', () => {
    // given model and epochs flags / when parsed / then both are returned
    expect(parseFlags(['--model', 'digits', '--epochs', '2'])).toEqual({
      '--model': 'digits',
      '--epochs': '2',
    });
  });

  it('rejects an unknown flag by name', () => {
    // given a misspelt flag / when parsed / then it is named
    expect(() => parseFlags(['--model', 'digits', '--epoch', '2'])).toThrow(
      /unknown flag '--epoch'/,
    );
  });

  it('rejects a flag without a value', () => {
    // given a trailing flag / when parsed / then the error says pairs are expected
    expect(() => parseFlags(['--model'])).toThrow(/expected '--flag value' pairs/);
  });
});
