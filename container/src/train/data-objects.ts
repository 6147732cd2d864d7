/** A training-data object found under the training prefix. */
export type DataObject =
  | {
      readonly kind: 'image';
      readonly key: string;
      readonly size: number;
      readonly etag?: string;
      /** The label folder directly below the training prefix. */
      readonly label: string;
    }
  | {
      readonly kind: 'jsonl' | 'csv';
      readonly key: string;
      readonly size: number;
      readonly etag?: string;
    };

export type Classified =
  | { readonly object: DataObject }
  | { readonly issue: 'missing-label' | 'unsupported-file'; readonly message: string };

const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;

/**
 * Decides what an object under the training prefix is: `<prefix><label>/...image` is a
 * labelled image, `*.jsonl` / `*.csv` anywhere below are labelled records; anything else is
 * reported, never silently used or dropped.
 */
export function classifyObject(
  prefix: string,
  listed: { key: string; size: number; etag?: string },
): Classified {
  const relative = listed.key.slice(prefix.length);
  const base = {
    key: listed.key,
    size: listed.size,
    ...(listed.etag ? { etag: listed.etag } : {}),
  };
  if (/\.jsonl$/i.test(relative)) return { object: { kind: 'jsonl', ...base } };
  if (/\.csv$/i.test(relative)) return { object: { kind: 'csv', ...base } };
  if (IMAGE_EXTENSIONS.test(relative)) {
    const slash = relative.indexOf('/');
    if (slash <= 0) {
      return {
        issue: 'missing-label',
        message: `${listed.key}: image is not inside a label folder (${prefix}<label>/...)`,
      };
    }
    return { object: { kind: 'image', ...base, label: relative.slice(0, slash) } };
  }
  return {
    issue: 'unsupported-file',
    message: `${listed.key}: not an image (.png/.jpg), .jsonl or .csv file`,
  };
}
