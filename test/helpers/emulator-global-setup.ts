import { ensureNative } from '../../container/native/ensure-native';
import { detectEmulator } from '../../scripts/local/emulator/detect-emulator';
import {
  CAPABILITIES_ENV,
  emulatorLabel,
  serializeCapabilities,
} from '../../scripts/local/emulator/emulator-capabilities';
import { emulatorEnvironment, startEmulator } from '../../scripts/local/moto-server';

/**
 * Builds the native TensorFlow binding on first use (the worker suites run on it and on wasm),
 * then starts the emulator once for the integration project and detects what it provides;
 * workers inherit the environment (describeOnEmulator reads the capabilities from it).
 */
export default async function globalSetup(): Promise<void> {
  await ensureNative((line) => process.stderr.write(`[native] ${line}\n`));
  const log = (line: string) => process.stderr.write(`[emulator] ${line}\n`);
  const emulator = await startEmulator(log);
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  (globalThis as Record<string, unknown>).__EMULATOR__ = emulator;
  const capabilities = await detectEmulator(emulator.endpoint).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  process.env[CAPABILITIES_ENV] = serializeCapabilities(capabilities);
  log(`${emulatorLabel(capabilities)} provides ${capabilities.services.join(', ')}`);
}
