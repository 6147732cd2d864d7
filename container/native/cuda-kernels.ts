/**
 * Which GPU architectures a CUDA library carries code for, read from its embedded fat binaries:
 * SASS (ELF, kind 2) runs as is on GPUs of the same major architecture and an equal or higher
 * minor one; PTX (kind 1) only through the driver's JIT at load time, the start-up cost this
 * check exists to rule out for the GPUs the job definitions allow.
 */

/** The GPUs of the instance families the compute environments allow, by compute capability. */
export const TARGET_GPUS = {
  g4dn: { gpu: 'T4', sm: 75 },
  g5: { gpu: 'A10G', sm: 86 },
  g6: { gpu: 'L4', sm: 89 },
} as const;

const FATBIN_MAGIC = 0xba55ed50;
const KIND = { 1: 'ptx', 2: 'sass' } as const;

export interface CudaKernels {
  /** Compute capabilities with SASS, as numbers (75 for sm_75). */
  readonly sass: readonly number[];
  /** Compute capabilities with PTX only the JIT can use. */
  readonly ptx: readonly number[];
}

/** Scans a library's bytes for fat binaries and collects the architecture of each entry. */
export function cudaKernels(library: Buffer): CudaKernels {
  const sass = new Set<number>();
  const ptx = new Set<number>();
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(FATBIN_MAGIC);
  for (let at = library.indexOf(magic); at !== -1; at = library.indexOf(magic, at + 4)) {
    if (at + 16 > library.length) break;
    const headerSize = library.readUInt16LE(at + 6);
    const fatSize = Number(library.readBigUInt64LE(at + 8));
    const end = Math.min(at + headerSize + fatSize, library.length);
    for (let entry = at + headerSize; entry + 32 <= end;) {
      const kind = library.readUInt16LE(entry) as keyof typeof KIND;
      const entryHeader = library.readUInt32LE(entry + 4);
      const payload = Number(library.readBigUInt64LE(entry + 8));
      const sm = library.readUInt32LE(entry + 28);
      if (!(kind in KIND) || entryHeader < 32 || sm < 10 || sm > 200) break;
      (KIND[kind] === 'sass' ? sass : ptx).add(sm);
      entry += entryHeader + payload;
    }
  }
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return { sass: sorted(sass), ptx: sorted(ptx) };
}

/**
 * The SASS a GPU of compute capability `sm` would run without a JIT: the highest one of the
 * same major version not above it (CUDA's binary compatibility rule), or undefined.
 */
export function sassFor(sm: number, kernels: CudaKernels): number | undefined {
  const major = Math.floor(sm / 10);
  return kernels.sass.filter((s) => Math.floor(s / 10) === major && s <= sm).at(-1);
}
