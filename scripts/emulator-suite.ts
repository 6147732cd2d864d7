/**
 * The integration suite on one emulator, with a table of what passed and what was skipped why:
 *   npx tsx scripts/emulator-suite.ts localstack [jest args]   (npm run test:localstack)
 *   npx tsx scripts/emulator-suite.ts moto [jest args]
 * localstack: installs the pinned LocalStack into .venv-localstack/ (Python 3.13; without one
 * it says so and exits 0), starts it on a free loopback port, runs the suite against it through
 * AWS_ENDPOINT_URL and stops it. moto: the suite's global setup starts moto as in `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LACKS_ENV } from './local/emulator/emulator-capabilities';
import {
  ensureLocalStackInstalled,
  findPython,
  LOCALSTACK_HOST_LACKS,
  LOCALSTACK_PYTHON_VERSION,
  LOCALSTACK_VERSION,
  startLocalStack,
} from './local/emulator/localstack-server';
import { JestJson, suiteRows, suiteTable, suiteTotals } from './local/emulator/suite-report';
import { emulatorEnvironment, RunningEmulator } from './local/moto-server';

const ROOT = resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`[emulator-suite] ${line}\n`);

function runJest(args: readonly string[], env: NodeJS.ProcessEnv, resultsFile: string) {
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(
    process.execPath,
    [jest, '--selectProjects', 'integration', '--json', `--outputFile=${resultsFile}`, ...args],
    { cwd: ROOT, env, stdio: 'inherit' },
  );
  return new Promise<number>((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Prints the table; a run with skips that give no reason fails even if jest passed. */
function report(resultsFile: string, jestCode: number, label: string): number {
  const rows = suiteRows(JSON.parse(readFileSync(resultsFile, 'utf8')) as JestJson, ROOT);
  const totals = suiteTotals(rows);
  process.stdout.write(`\nIntegration suite on ${label}:\n\n${suiteTable(rows)}\n`);
  if (totals.skippedWithoutReason > 0) {
    log(`${totals.skippedWithoutReason} tests were skipped without a named missing service`);
    return 1;
  }
  return jestCode;
}

async function main(argv: readonly string[]): Promise<number> {
  const [kind, ...jestArgs] = argv;
  if (kind !== 'localstack' && kind !== 'moto') {
    process.stderr.write(
      'usage: npx tsx scripts/emulator-suite.ts <localstack|moto> [jest args]\n',
    );
    return 2;
  }
  const workDir = join(ROOT, '.emulator', `${kind}-suite`);
  mkdirSync(workDir, { recursive: true });
  const resultsFile = join(workDir, 'jest-results.json');
  if (kind === 'moto') {
    const env = { ...process.env };
    delete env.AWS_ENDPOINT_URL;
    return report(resultsFile, await runJest(jestArgs, env, resultsFile), 'moto');
  }

  const { python, tried } = findPython();
  if (!python) {
    log(
      `skipped: LocalStack ${LOCALSTACK_VERSION} needs Python ${LOCALSTACK_PYTHON_VERSION} and none was found (tried ${tried.join(', ')}); set LOCALSTACK_PYTHON to one`,
    );
    return 0;
  }
  const venvPython = ensureLocalStackInstalled(python, log);
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startLocalStack(venvPython, workDir, log);
    const env = {
      ...process.env,
      ...emulatorEnvironment(emulator.endpoint),
      [LACKS_ENV]: LOCALSTACK_HOST_LACKS.join(','),
    };
    const code = await runJest(jestArgs, env, resultsFile);
    return report(resultsFile, code, `LocalStack ${LOCALSTACK_VERSION} (host mode, no Docker)`);
  } finally {
    await emulator?.stop();
    if (emulator) log(`stopped LocalStack (pid ${emulator.process?.pid})`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`emulator-suite: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
