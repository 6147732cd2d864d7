import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface TarMember {
  readonly name: string;
  readonly body?: Uint8Array | string;
  /** Regular file unless given. */
  readonly type?: tar.Header['type'];
  readonly linkname?: string;
}

/** A tar archive of `members`, as tar-stream's packer writes it (ustar, end-of-archive blocks). */
export async function tarOf(members: readonly TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { name, body, type, linkname } of members) {
    pack.entry({ name, type: type ?? 'file', ...(linkname ? { linkname } : {}) }, body ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function tgzOf(members: readonly TarMember[]): Promise<Buffer> {
  return gzipSync(await tarOf(members));
}

/**
 * A gzipped tar of one member of `bytes` zeros whose compressed form is tiny: a gzip bomb.
 * Built by streaming, so the test never holds the expanded archive.
 */
export async function tarBombGz(bytes: number): Promise<Buffer> {
  const pack = tar.pack();
  const entry = pack.entry({ name: 'zeros.png', size: bytes });
  const block = Buffer.alloc(1024 * 1024);
  const gzip = (await import('node:zlib')).createGzip({ level: 9 });
  const written = (async () => {
    for (let left = bytes; left > 0; left -= block.length) {
      const chunk = left >= block.length ? block : block.subarray(0, left);
      if (!entry.write(chunk))
        await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
    }
    entry.end(undefined);
    pack.finalize();
  })();
  const chunks: Buffer[] = [];
  const compressed = Readable.from(pack).pipe(gzip);
  for await (const chunk of compressed) chunks.push(chunk as Buffer);
  await written;
  return Buffer.concat(chunks);
}

/** A byte stream of `bytes` in chunks of `chunkSize`, as a download arrives. */
export function streamOf(bytes: Uint8Array, chunkSize = 4096): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
    })(),
  );
}

/** `tar` with the header block at `at` changed by `edit` and its checksum made right again. */
export function patchHeader(tar: Uint8Array, at: number, edit: (header: Buffer) => void): Buffer {
  const out = Buffer.from(tar);
  const header = out.subarray(at, at + 512);
  edit(header);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return out;
}

/** Sets a header's type flag (tar-stream's packer writes only the types it names). */
export const typeflagPatch = (flag: string) => (header: Buffer) =>
  header.write(flag, 156, 'latin1');

/** Sets a header's declared size, whatever the data that follows. */
export const sizePatch = (size: number) => (header: Buffer) =>
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
