import { DocSectionError, replaceSection } from '../../../scripts/report/benchmarks-doc';

describe('replaceSection', () => {
  it('creates the file with its title and the section when the document is empty', () => {
    // given no document
    // when a section is written
    const doc = replaceSection('', { id: 'peers', heading: 'Peers', body: 'numbers' });
    // then it has the title, the heading and the marked body
    expect(doc).toBe(
      '# Benchmarks\n\n## Peers\n\n<!-- bench:peers:start -->\n\nnumbers\n\n<!-- bench:peers:end -->\n',
    );
  });

  it('replaces only the body between its markers, leaving other sections alone', () => {
    // given a document with another helper's section before ours
    const before = replaceSection('# Benchmarks\n\n## Worker\n\ntheirs\n', {
      id: 'peers',
      heading: 'Peers',
      body: 'old',
    });
    // when our section is written again
    const after = replaceSection(before, { id: 'peers', heading: 'Peers', body: 'new' });
    // then theirs is untouched and ours holds only the new body
    expect(after).toContain('## Worker\n\ntheirs\n');
    expect(after).toContain('new');
    expect(after).not.toContain('old');
  });

  it('refuses a document with only one marker of the section', () => {
    // given a start marker without its end
    // when the section is written
    // then the error names the section
    expect(() =>
      replaceSection('<!-- bench:peers:start -->', { id: 'peers', heading: 'Peers', body: 'x' }),
    ).toThrow(DocSectionError);
  });
});
