import { cudaKernels, sassFor } from '../../../container/native/cuda-kernels';

/** A fat binary as nvcc embeds it: a 16-byte header, then entries of (64-byte header, payload). */
function fatbin(entries: ReadonlyArray<{ kind: 1 | 2; sm: number; payload: number }>): Buffer {
  const parts = entries.map(({ kind, sm, payload }) => {
    const header = Buffer.alloc(64);
    header.writeUInt16LE(kind, 0);
    header.writeUInt32LE(64, 4);
    header.writeBigUInt64LE(BigInt(payload), 8);
    header.writeUInt32LE(sm, 28);
    return Buffer.concat([header, Buffer.alloc(payload, 0xee)]);
  });
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(0xba55ed50, 0);
  header.writeUInt16LE(1, 4);
  header.writeUInt16LE(16, 6);
  header.writeBigUInt64LE(BigInt(body.length), 8);
  return Buffer.concat([header, body]);
}

describe('cudaKernels', () => {
  it('lists SASS and PTX architectures of every fat binary in a library', () => {
    // given a library holding two fat binaries among other bytes
    const library = Buffer.concat([
      Buffer.alloc(100, 1),
      fatbin([
        { kind: 2, sm: 70, payload: 40 },
        { kind: 2, sm: 80, payload: 8 },
      ]),
      Buffer.alloc(33, 2),
      fatbin([
        { kind: 2, sm: 89, payload: 16 },
        { kind: 1, sm: 90, payload: 24 },
      ]),
    ]);

    // when scanned / then each architecture is found under its kind
    expect(cudaKernels(library)).toEqual({ sass: [70, 80, 89], ptx: [90] });
  });

  it('maps each target GPU to the SASS it runs without a JIT, or none', () => {
    // given TensorFlow 2.21's kernel set
    const kernels = { sass: [60, 70, 80, 89, 90], ptx: [90] };

    // when / then T4 (7.5) runs sm_70, A10G (8.6) sm_80, L4 (8.9) sm_89; a 7.0-only set has none for 8.x
    expect([75, 86, 89].map((sm) => sassFor(sm, kernels))).toEqual([70, 80, 89]);
    expect(sassFor(86, { sass: [70], ptx: [70] })).toBeUndefined();
  });
});
