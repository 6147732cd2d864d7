import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const OPERATIONS_DOC = 'docs/operations.md';

const PRETTIER = join(__dirname, '..', '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/**
 * Markdown as `prettier --check` wants it, with the repository's settings. Run as a child
 * process: prettier's API loads its plugins by dynamic import, which jest's module sandbox
 * refuses.
 */
export function formatMarkdown(text: string, path: string): string {
  return execFileSync(process.execPath, [PRETTIER, '--stdin-filepath', path], {
    input: text,
    encoding: 'utf8',
    timeout: 60_000,
  });
}
