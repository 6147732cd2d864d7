import {
  EmulatorCapabilities,
  LACKS_ENV,
  MOTO_SERVICES,
  parseLocalStackHealth,
  parseServiceList,
  withoutServices,
} from './emulator-capabilities';

const PROBE_TIMEOUT_MS = 5_000;

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  await response.body?.cancel();
  return response.ok;
}

/**
 * Asks the emulator at `endpoint` what it is: LocalStack answers /_localstack/health with its
 * services, moto answers /moto-api/ (moto routes any other path to S3, so it is asked second).
 * Services named in GBI_EMULATOR_LACKS are taken out (see emulator-capabilities.ts).
 */
export async function detectEmulator(
  endpoint: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EmulatorCapabilities> {
  const lacking = parseServiceList(env[LACKS_ENV], LACKS_ENV);
  const base = endpoint.replace(/\/+$/, '');
  const health = await getJson(`${base}/_localstack/health`).catch((error: unknown) => {
    throw new Error(`emulator at ${endpoint}: no answer (${(error as Error).message})`, {
      cause: error,
    });
  });
  if (typeof health === 'object' && health !== null && 'services' in health) {
    return withoutServices(parseLocalStackHealth(health), lacking);
  }
  if (await answers(`${base}/moto-api/`)) {
    return withoutServices({ kind: 'moto', services: MOTO_SERVICES }, lacking);
  }
  throw new Error(
    `emulator at ${endpoint}: neither LocalStack (/_localstack/health) nor moto (/moto-api/) answered`,
  );
}
