import { emulatorEnvironment, startEmulator } from '../../scripts/local/moto-server';

/** Starts the emulator once for the integration project; workers inherit the environment. */
export default async function globalSetup(): Promise<void> {
  const emulator = await startEmulator((line) => process.stderr.write(`[emulator] ${line}\n`));
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  (globalThis as Record<string, unknown>).__EMULATOR__ = emulator;
}
