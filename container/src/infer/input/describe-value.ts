/** Longest text quoted whole in a reason; longer text is quoted by its start. */
const QUOTED_CHARS = 32;

/** `text` quoted with `quote`, or its start and its length when it is long. */
export function quoteText(text: string, quote: '"' | "'" = '"'): string {
  const wrap = (s: string) => (quote === '"' ? JSON.stringify(s) : `'${s}'`);
  if (text.length <= QUOTED_CHARS) return wrap(text);
  return `a string of ${text.length} characters starting ${wrap(text.slice(0, QUOTED_CHARS))}`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * A short description of a parsed JSON value for an error reason. It never recurses and never
 * serialises a container: a value nested 100,000 deep or a 20 MB string is described in a few
 * words, where JSON.stringify would overflow the stack or copy it all into the reason.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quoteText(value);
  if (Array.isArray(value)) return `an array of ${count(value.length, 'element')}`;
  if (typeof value === 'object' && value !== null) {
    return `an object with ${count(Object.keys(value).length, 'key')}`;
  }
  return String(value);
}
