import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The bound docs/container.md (Memory) states for one records object, measured: a fresh
 * process decodes objects of one huge line each and reports how far each raised its peak
 * resident memory.
 */

jest.setTimeout(180_000);

const MIB = 1024 * 1024;
const LINE = 16 * MIB;
const spec = { kind: 'features' as const, size: 3, names: ['a', 'b', 'c'] };

/** docs/container.md: a records object's decode peaks within 3 x its bytes + 16 MiB. */
const statedBound = (bytes: number) => 3 * bytes + 16 * MIB;

const numbers = (count: number) => Array(count).fill('1').join(',');

const HUGE_LINES: readonly [string, string][] = [
  ['string.jsonl', `[1, "${'x'.repeat(LINE)}", 3]\n[1,2,3]\n`],
  ['non-latin.jsonl', `{"a": 1, "b": 2, "c": 3, "note": "${'é東'.repeat(LINE / 5)}"}\n`],
  ['numbers.jsonl', `[${numbers(LINE / 2)}]\n[1,2,3]\n`],
  ['keys.jsonl', `{${Array.from({ length: LINE / 16 }, (_, i) => `"k${i}":1`).join(',')}}\n`],
  ['nested.jsonl', `${'['.repeat(LINE / 2)}${']'.repeat(LINE / 2)}\n`],
  ['cells.csv', `a,b,c\n1,2,3\n${numbers(LINE / 2)}\n`],
  ['header.csv', `${numbers(LINE / 2)}\n1,2,3\n`],
  ['cell.csv', `a,b,c\n1,${'y'.repeat(LINE)},3\n4,5,6\n`],
];

describe('records decode memory', () => {
  it('stays under the bound docs/container.md states for one huge line of any shape', () => {
    // given objects of one 16 MiB line each: a long string, millions of numbers, keys, nesting
    // or CSV cells
    const directory = mkdtempSync(join(tmpdir(), 'gbi-records-memory-'));
    try {
      const requests = HUGE_LINES.map(([name, text]) => {
        const path = join(directory, name);
        writeFileSync(path, text);
        return { path, key: `in/${name}`, spec, limits: { maxPixels: 1 } };
      });

      // when a fresh process decodes them one by one, measuring each decode's peak
      const output = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', join(__dirname, '../../helpers/decode-peak-memory.ts')],
        { input: JSON.stringify(requests), maxBuffer: 1024 * 1024 },
      );
      const growth = JSON.parse(output.toString()) as (number | null)[];

      // then every decode that raised the peak stayed within the bound for its size
      expect(growth).toHaveLength(requests.length);
      const over = HUGE_LINES.map(([name, text], i) => ({
        name,
        growth: growth[i],
        bound: statedBound(Buffer.byteLength(text)),
      })).filter((entry) => entry.growth !== null && entry.growth > entry.bound);
      expect(over).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
