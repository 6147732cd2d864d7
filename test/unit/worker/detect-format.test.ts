import { RecordError } from '../../../container/src/infer/errors';
import { detectFormat } from '../../../container/src/infer/input/detect-format';
import { jpegOf, mnistDigit, pngOf } from '../../helpers/worker-image-fixtures';

const png = pngOf(mnistDigit(1, 0), 28, 28);

describe('detectFormat', () => {
  it('recognises a PNG by its signature even when the key says .jpg', () => {
    // given PNG bytes under a .jpg key
    // when the format is detected
    const format = detectFormat('in/mislabelled.jpg', png);
    // then the signature wins
    expect(format).toBe('png');
  });

  it('recognises a JPEG by its signature', () => {
    // given JPEG bytes under a key without extension
    const bytes = jpegOf(mnistDigit(2, 0), 28, 28);
    // when / then
    expect(detectFormat('in/photo', bytes)).toBe('jpeg');
  });

  it('reads records formats from the extension, case-insensitively', () => {
    // given text objects named .JSONL, .ndjson, .csv and .json
    const text = Buffer.from('[1,2]');
    // when / then
    expect(detectFormat('a.JSONL', text)).toBe('jsonl');
    expect(detectFormat('a.ndjson', text)).toBe('jsonl');
    expect(detectFormat('a.csv', text)).toBe('csv');
    expect(detectFormat('a.json', text)).toBe('json');
  });

  it('rejects an unknown extension without signature as UNSUPPORTED_FORMAT naming the extension', () => {
    // given a text file
    // when the format is detected
    const detect = () => detectFormat('in/notes.txt', Buffer.from('hello'));
    // then the error names the extension
    expect(detect).toThrow(RecordError);
    expect(detect).toThrow(/extension '\.txt'/);
  });

  it('rejects a .png without the PNG signature as DECODE_FAILED', () => {
    // given text bytes named .png
    // when the format is detected
    let error: unknown;
    try {
      detectFormat('in/fake.png', Buffer.from('not an image'));
    } catch (e) {
      error = e;
    }
    // then it is a decode failure, not an unsupported format
    expect((error as RecordError).code).toBe('DECODE_FAILED');
  });
});
