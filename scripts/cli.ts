#!/usr/bin/env -S npx tsx
/**
 * The operator CLI, `gbi` (package.json bin; `npm run cli -- <command>`). See
 * scripts/cli/run-cli.ts for the commands and docs/operations.md for how to use them.
 */
import { runCli } from './cli/run-cli';

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gbi: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
