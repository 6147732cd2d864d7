import { ensureNative } from '../../container/native/ensure-native';
import { emulatorEnvironment, startEmulator } from '../../scripts/local/moto-server';

/**
 * Builds the native TensorFlow binding on first use (the worker suites run on it and on wasm),
 * then starts the emulator once for the integration project; workers inherit the environment.
 */
export default async function globalSetup(): Promise<void> {
  await ensureNative((line) => process.stderr.write(`[native] ${line}\n`));
  const emulator = await startEmulator((line) => process.stderr.write(`[emulator] ${line}\n`));
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  (globalThis as Record<string, unknown>).__EMULATOR__ = emulator;
}
