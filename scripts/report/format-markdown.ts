import { format, resolveConfig } from 'prettier';

/**
 * Generated markdown goes through the project's prettier settings so `prettier --check .`
 * (part of CI) passes on the files the benchmarks write.
 */
export async function formatMarkdown(text: string, path: string): Promise<string> {
  const config = (await resolveConfig(path)) ?? {};
  return format(text, { ...config, parser: 'markdown', filepath: path });
}
