import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AccessCall } from '../../lib/contracts/access';

const ROOT = join(__dirname, '..', '..');

/** Where code that calls AWS, or sets up a service to, lives. */
export const DECLARING_DIRECTORIES = ['lambda', 'container/src', 'lib/constructs'] as const;
/** Where every module that sends an SDK command must declare it. */
export const SENDING_DIRECTORIES = ['lambda', 'container/src', 'lib/contracts'] as const;
/** The helpers whose requests their callers declare (HELPER_COMMANDS). */
const HELPER_MODULES = ['lib/contracts/s3-key-presence.ts'];

export interface DeclaredAccess {
  /** The module, relative to the repository root. */
  readonly file: string;
  readonly calls: readonly AccessCall[];
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * The shared helpers of lib/contracts/s3-key-presence.ts and the requests each sends: their
 * callers declare those requests, since only a caller knows the key.
 */
const HELPER_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  getExistingObject: ['GetObjectCommand'],
  getObjectIfExists: ['GetObjectCommand', 'ListObjectsV2Command'],
  keyExists: ['ListObjectsV2Command'],
  anyKeyUnder: ['ListObjectsV2Command'],
};

/**
 * The SDK requests a module's source sends: `new XxxCommand(` of any client, lib-storage's
 * `new Upload(` (its PutObject or multipart upload), and those of the s3-key-presence helpers
 * it calls.
 */
export function sentCommands(source: string): string[] {
  const names = [...source.matchAll(/\bnew\s+(\w+Command|Upload)\s*\(/g)].map((m) => m[1]!);
  const viaHelpers = [...source.matchAll(/\b(\w+)\s*\(/g)].flatMap((m) =>
    Object.hasOwn(HELPER_COMMANDS, m[1]!) ? HELPER_COMMANDS[m[1]!]! : [],
  );
  return [...new Set([...names, ...viaHelpers])].sort();
}

/** Every module under the declaring directories that exports ACCESS, with its declarations. */
export function declaredAccess(): DeclaredAccess[] {
  return DECLARING_DIRECTORIES.flatMap(typeScriptFiles)
    .filter((file) => /^export const ACCESS\b/m.test(readFileSync(join(ROOT, file), 'utf8')))
    .map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(join(ROOT, file)) as { ACCESS: readonly AccessCall[] };
      return { file, calls: module.ACCESS };
    });
}

/** Modules under the sending directories that send SDK requests, with the requests. */
export function sendingModules(): { file: string; commands: string[] }[] {
  return SENDING_DIRECTORIES.flatMap(typeScriptFiles)
    .filter((file) => !HELPER_MODULES.includes(file))
    .map((file) => ({ file, commands: sentCommands(readFileSync(join(ROOT, file), 'utf8')) }))
    .filter(({ commands }) => commands.length > 0);
}
