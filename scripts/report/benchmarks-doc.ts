/**
 * docs/benchmarks.md is shared: other benchmarks own other `## ` sections. This replaces only
 * the body between `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->`, and appends the
 * section (heading and markers) when the file does not have it yet.
 */
export interface DocSection {
  /** Marker id, e.g. `peers`. */
  readonly id: string;
  /** Heading text after `## `, e.g. `Peers`. */
  readonly heading: string;
  readonly body: string;
}

export class DocSectionError extends Error {
  override readonly name = 'DocSectionError';
}

const markers = (id: string) => ({
  start: `<!-- bench:${id}:start -->`,
  end: `<!-- bench:${id}:end -->`,
});

export function replaceSection(document: string, section: DocSection): string {
  const { start, end } = markers(section.id);
  const block = `${start}\n\n${section.body.trim()}\n\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) {
    return document.slice(0, from) + block + document.slice(to + end.length);
  }
  if (from >= 0 || to >= 0) {
    throw new DocSectionError(
      `section '${section.id}': only one of ${start} and ${end} is present`,
    );
  }
  const base = document.trim().length > 0 ? document.trimEnd() : '# Benchmarks';
  return `${base}\n\n## ${section.heading}\n\n${block}\n`;
}
