import { DataIssues } from '../../../container/src/train/data-issues';

describe('DataIssues', () => {
  it('counts issues by kind and logs each one', () => {
    // given a collector with a log
    const lines: string[] = [];
    const issues = new DataIssues((line) => lines.push(line));

    // when two unreadable files and an unknown label are reported
    issues.add('unreadable', 'a.png: broken');
    issues.add('unreadable', 'b.png: broken');
    issues.add('unknown-label', 'x/c.png: label x');

    // then the counts say so and every message was logged
    expect(issues.summary().counts).toEqual({
      unreadable: 2,
      'missing-label': 0,
      'unknown-label': 1,
      'unsupported-file': 0,
    });
    expect(lines).toHaveLength(3);
  });

  it('keeps only the first five examples of a kind', () => {
    // given seven unreadable files reported
    const issues = new DataIssues(() => undefined);
    for (let i = 0; i < 7; i++) issues.add('unreadable', `f${i}`);

    // then the count is seven and five examples are kept
    expect(issues.total()).toBe(7);
    expect(issues.summary().examples.unreadable).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
  });
});
