/**
 * The local AWS emulator (moto server) as a command:
 *   npx tsx scripts/emulator.ts install   install moto into .venv (what CI does up front)
 *   npx tsx scripts/emulator.ts start     run it in the foreground and print its endpoint
 */
import { emulatorEnvironment, ensureMotoInstalled, startEmulator } from './local/moto-server';

async function main(command: string | undefined): Promise<number> {
  const log = (line: string) => process.stderr.write(`[emulator] ${line}\n`);
  switch (command) {
    case 'install':
      log(`moto server at ${ensureMotoInstalled(log)}`);
      return 0;
    case 'start': {
      const emulator = await startEmulator(log);
      const env = emulatorEnvironment(emulator.endpoint);
      process.stdout.write(
        Object.entries(env)
          .map(([k, v]) => `export ${k}=${v}`)
          .join('\n') + '\n',
      );
      log('press Ctrl-C to stop');
      await new Promise<void>((resolve) => process.once('SIGINT', resolve));
      await emulator.stop();
      return 0;
    }
    default:
      process.stderr.write('usage: npx tsx scripts/emulator.ts <install|start>\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`emulator: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
