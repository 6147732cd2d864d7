import { ensureNative } from '../../container/native/ensure-native';
import { detectEmulator } from '../../scripts/local/emulator/detect-emulator';
import {
  CAPABILITIES_ENV,
  emulatorLabel,
  serializeCapabilities,
} from '../../scripts/local/emulator/emulator-capabilities';
import {
  missingKeyAnswerFromEnv,
  MISSING_KEYS_ENV,
  startMissingKeyProxy,
} from '../../scripts/local/emulator/missing-key-proxy';
import { emulatorEnvironment, startEmulator } from '../../scripts/local/moto-server';

/**
 * Builds the native TensorFlow binding on first use (the worker suites run on it and on wasm),
 * then starts the emulator once for the integration project and detects what it provides;
 * workers inherit the environment (describeOnEmulator reads the capabilities from it). With
 * GBI_TEST_MISSING_KEYS=access-denied every suite talks to the emulator through the missing-key
 * proxy, so S3 answers a read of a missing key with 403 AccessDenied throughout the run.
 */
export default async function globalSetup(): Promise<void> {
  await ensureNative((line) => process.stderr.write(`[native] ${line}\n`));
  const log = (line: string) => process.stderr.write(`[emulator] ${line}\n`);
  const emulator = await startEmulator(log);
  (globalThis as Record<string, unknown>).__EMULATOR__ = emulator;
  let endpoint = emulator.endpoint;
  if (missingKeyAnswerFromEnv() === 'access-denied') {
    const proxy = await startMissingKeyProxy(emulator.endpoint);
    (globalThis as Record<string, unknown>).__MISSING_KEY_PROXY__ = proxy;
    endpoint = proxy.endpoint;
    log(`${MISSING_KEYS_ENV}=access-denied: S3 answers a missing key with 403 via ${endpoint}`);
  }
  Object.assign(process.env, emulatorEnvironment(endpoint));
  const capabilities = await detectEmulator(endpoint).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  process.env[CAPABILITIES_ENV] = serializeCapabilities(capabilities);
  log(`${emulatorLabel(capabilities)} provides ${capabilities.services.join(', ')}`);
}
