import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Addresses that name no page: loopback, and the identifiers of formats (not links). */
const NOT_LINKS = [
  /^https?:\/\/127\.0\.0\.1/,
  /^https:\/\/json-schema\.org\/draft\//, // a JSON Schema's dialect ($schema)
  /^http:\/\/www\.w3\.org\/2000\/svg$/, // the SVG namespace
];

/** Files other projects write: npm's lockfiles list each package's funding page. */
const GENERATED = /(^|\/)package-lock\.json$/;

describe('the repository', () => {
  it('links nowhere outside itself: its docs, code and comments cite by title', () => {
    // given every tracked file
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file.length > 0 && !GENERATED.test(file));

    // when their addresses with a host name are collected
    const outside = files.flatMap((file) =>
      [
        ...readFileSync(join(ROOT, file), 'utf8').matchAll(
          /https?:\/\/[\w-]+(\.[\w-]+)+[^\s)"'`>]*/g,
        ),
      ]
        .map(([url]) => url)
        .filter((url) => !NOT_LINKS.some((allowed) => allowed.test(url)))
        .map((url) => `${file}: ${url}`),
    );

    // then there are none
    expect(outside).toEqual([]);
  });
});
