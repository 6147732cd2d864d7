import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
/** The product's code and its tools; the tests import them but nothing imports a test. */
const FOLDERS = ['bin', 'lib', 'lambda', 'container', 'scripts'];

/** The project file a relative specifier names, or undefined for a package or a missing file. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const found = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find(
    (candidate) => /\.(ts|js)$/.test(candidate) && existsSync(candidate),
  );
  return found === undefined ? undefined : relative(ROOT, found);
}

/** Every tracked TypeScript file of FOLDERS with the project files it imports (types included). */
function importGraph(): Map<string, string[]> {
  const files = execFileSync('git', ['ls-files', '-z', ...FOLDERS], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file.endsWith('.ts'));
  return new Map(
    files.map((file) => {
      const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
      const targets = info.importedFiles
        .map(({ fileName }) => resolveSpecifier(join(ROOT, file), fileName))
        .filter((target): target is string => target !== undefined);
      return [file, targets];
    }),
  );
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node))
      found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import graph', () => {
  it('finds a circle when two files import each other', () => {
    // given a graph where a imports b and b imports a, beside a file on its own
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts']],
      ['c.ts', ['a.ts']],
    ]);

    // when its circles are found, then the pair is the one circle
    expect(circles(graph)).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no circles in the product or its tools, type-only imports included', () => {
    // given every import between the project's own files
    const graph = importGraph();

    // when its circles are found, then there are none
    expect(graph.size).toBeGreaterThan(200);
    expect(circles(graph)).toEqual([]);
  });
});
