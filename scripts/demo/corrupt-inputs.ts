/** A deliberately broken upload and the error code the worker must report for it. */
export interface CorruptInput {
  readonly name: string;
  readonly body: Buffer;
  readonly expectedCode: string;
}

/**
 * Broken files a real input bucket receives: an empty upload, a PNG cut short, text named
 * .png, a JPEG header followed by noise, and a file of an unsupported type. Each must end in
 * the error stream with its reason while the rest of the batch is scored.
 */
export function corruptInputs(validPng: Buffer): CorruptInput[] {
  const noise = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256));
  return [
    { name: 'empty.png', body: Buffer.alloc(0), expectedCode: 'EMPTY_OBJECT' },
    {
      name: 'truncated.png',
      body: validPng.subarray(0, Math.floor(validPng.length / 2)),
      expectedCode: 'DECODE_FAILED',
    },
    {
      name: 'not-an-image.png',
      body: Buffer.from('this is a text file named like an image\n'),
      expectedCode: 'DECODE_FAILED',
    },
    {
      name: 'noise.jpg',
      body: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise]),
      expectedCode: 'DECODE_FAILED',
    },
    {
      name: 'notes.txt',
      body: Buffer.from('uploaded by mistake\n'),
      expectedCode: 'UNSUPPORTED_FORMAT',
    },
  ];
}
