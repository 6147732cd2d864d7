import { buildNative } from './build-native';
import { failureStands, runningNode } from './build-reuse';
import { NativeStatus, nativeRoot, readNativeStatus } from './native-location';

/**
 * The first-use step of the demo, the benchmarks and the test setup (as they install the
 * emulator): builds the CPU binding unless a usable build, or a failed attempt on this Node.js,
 * is on record (build-reuse.ts). A failure is not thrown: the worker then runs on wasm and logs
 * the recorded reason, and `npm run setup:native` retries.
 */
export async function ensureNative(log: (line: string) => void): Promise<NativeStatus> {
  const root = nativeRoot();
  const known = readNativeStatus(root, 'cpu');
  if (known !== undefined && failureStands(known, runningNode())) {
    log(`native TensorFlow unavailable (${known.reason}); npm run setup:native retries`);
    return known;
  }
  try {
    return await buildNative({ variant: 'cpu', root, log });
  } catch {
    const failed = readNativeStatus(root, 'cpu')!;
    log(`native TensorFlow unavailable (${failed.reason}); running on wasm`);
    return failed;
  }
}
