import type { RunningEmulator } from '../../scripts/local/moto-server';

export default async function globalTeardown(): Promise<void> {
  const emulator = (globalThis as Record<string, unknown>).__EMULATOR__ as
    RunningEmulator | undefined;
  await emulator?.stop();
}
