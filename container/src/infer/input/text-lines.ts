/** One line of a records file, located by its 0-based number and the byte it starts at. */
export interface TextLine {
  readonly number: number;
  readonly byteOffset: number;
  /** The line's text without its line ending; undefined when its bytes are not valid UTF-8. */
  readonly text: string | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LF = 0x0a;
const CR = 0x0d;

function decode(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The lines of a text file's bytes, each decoded alone, so one line of invalid UTF-8 fails by
 * itself rather than the whole file. Splitting the bytes before decoding is safe: no byte of a
 * multi-byte UTF-8 sequence is 0x0A. A line ends at LF or CR LF; a final line ending ends the
 * last line rather than starting an empty one. Lines are views of `bytes`, decoded one by one:
 * the file is never copied whole into a string.
 */
export function* textLines(bytes: Uint8Array): Generator<TextLine> {
  let start = 0;
  for (let number = 0; start < bytes.length; number++) {
    let end = bytes.indexOf(LF, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    const contentEnd = end > start && bytes[end - 1] === CR && end < bytes.length ? end - 1 : end;
    yield { number, byteOffset: start, text: decode(bytes.subarray(start, contentEnd)) };
    start = next;
  }
}

/** A reason's location of a line: its number and the byte it starts at. */
export function lineAt(line: TextLine): string {
  return `line ${line.number} (byte ${line.byteOffset})`;
}
