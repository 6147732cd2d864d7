import type { MissingKeyProxy } from '../../scripts/local/emulator/missing-key-proxy';
import type { RunningEmulator } from '../../scripts/local/moto-server';

export default async function globalTeardown(): Promise<void> {
  const emulator = (globalThis as Record<string, unknown>).__EMULATOR__ as
    RunningEmulator | undefined;
  const proxy = (globalThis as Record<string, unknown>).__MISSING_KEY_PROXY__ as
    MissingKeyProxy | undefined;
  await proxy?.close();
  await emulator?.stop();
}
