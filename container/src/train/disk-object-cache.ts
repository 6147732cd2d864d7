import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Object bodies kept on local disk for the rest of one training run, so epochs after the first
 * read images from disk instead of S3 (one GET per object per run instead of per epoch). Only
 * bodies that fit under the byte budget are kept; the rest are fetched every time. Nothing is
 * held in memory beyond the set of cached keys.
 */
export class DiskObjectCache {
  private readonly cached = new Set<string>();
  private usedBytes = 0;

  private constructor(
    private readonly directory: string,
    private readonly capacityBytes: number,
  ) {}

  static async create(capacityBytes: number, parent = tmpdir()): Promise<DiskObjectCache> {
    return new DiskObjectCache(await mkdtemp(join(parent, 'gbi-train-cache-')), capacityBytes);
  }

  /** The body of `key`: from disk when an earlier call kept it, else from `fetch`. */
  async bytes(key: string, fetch: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const file = join(this.directory, createHash('sha256').update(key).digest('hex'));
    if (this.cached.has(key)) return new Uint8Array(await readFile(file));
    const body = await fetch();
    if (this.usedBytes + body.length <= this.capacityBytes) {
      // Counted before the write so concurrent fetches cannot overshoot the budget together.
      this.usedBytes += body.length;
      await writeFile(file, body);
      this.cached.add(key);
    }
    return body;
  }

  /** Bytes of object bodies on disk now. */
  get size(): number {
    return this.usedBytes;
  }

  async dispose(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
    this.cached.clear();
    this.usedBytes = 0;
  }
}
