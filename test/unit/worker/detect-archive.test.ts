import { gzipSync } from 'node:zlib';
import { RecordError } from '../../../container/src/infer/errors';
import {
  ARCHIVE_SIGNATURE_BYTES,
  detectArchive,
} from '../../../container/src/infer/input/detect-format';
import { mnistDigit, pngOf } from '../../helpers/worker-image-fixtures';
import { tarOf } from '../../helpers/tar-fixtures';

describe('detectArchive', () => {
  it('recognises a tar by the ustar magic of its first header, whatever its name', async () => {
    // given the start of a tar under a key without extension
    const head = (await tarOf([{ name: 'a.png', body: 'x' }])).subarray(0, ARCHIVE_SIGNATURE_BYTES);
    // when / then
    expect(detectArchive('in/bundle', head)).toBe('tar');
  });

  it('takes gzip content for a gzipped tar, whatever its name', () => {
    // given gzip bytes named .bin
    // when / then
    expect(detectArchive('in/data.bin', gzipSync(Buffer.from('x')))).toBe('tar+gzip');
  });

  it('leaves images and records to detectFormat', () => {
    // given a PNG, and text named .jsonl
    // when / then
    expect(detectArchive('a.png', pngOf(mnistDigit(0, 0), 28, 28))).toBeUndefined();
    expect(detectArchive('a.jsonl', Buffer.from('[1,2]\n'))).toBeUndefined();
  });

  it.each(['in/a.tar', 'in/a.TGZ', 'in/a.tar.gz'])(
    'fails %s without an archive signature as DECODE_FAILED naming the extension',
    (key) => {
      // given text bytes under an archive name
      // when detected
      let error: unknown;
      try {
        detectArchive(key, Buffer.from('not an archive'));
      } catch (e) {
        error = e;
      }
      // then the error is a decode failure that names what the name promised
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).code).toBe('DECODE_FAILED');
      expect((error as RecordError).message).toMatch(
        /^named \.(tar|TGZ|tar\.gz) but the content has neither a gzip signature nor a tar \(ustar\) header$/,
      );
    },
  );
});
