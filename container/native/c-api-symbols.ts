/**
 * Checks, before compiling, that a TensorFlow shared library exports every C API function the
 * tfjs-node binding calls. A wheel without them (2.9.1 has no libtensorflow_cc with the C API)
 * would otherwise fail late, at link or load time, with an undefined-symbol message.
 */

/** TF_/TFE_ functions called in the binding's sources (an identifier followed by '('). */
export function calledFunctions(sources: readonly string[]): Set<string> {
  const called = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/\b(TFE?_[A-Za-z0-9_]+)\s*\(/g)) called.add(match[1]);
  }
  return called;
}

/**
 * Functions the C headers declare as exported from the library (`TF_CAPI_EXPORT extern ...`).
 * Called names that are not declared so are the binding's own helpers (TF_AutoStatus) or
 * inline header functions (TF_TString_*), which the library need not export.
 */
export function exportedDeclarations(headers: readonly string[]): Set<string> {
  const declared = new Set<string>();
  for (const header of headers) {
    for (const match of header.matchAll(/TF_CAPI_EXPORT\s+extern\s+[^;{}()]*?\b(TFE?_\w+)\s*\(/g)) {
      declared.add(match[1]);
    }
  }
  return declared;
}

/** Defined dynamic symbols from `nm -D --defined-only` output, without their version suffix. */
export function definedSymbols(nmOutput: string): Set<string> {
  const defined = new Set<string>();
  for (const line of nmOutput.split('\n')) {
    const name = line.trim().split(/\s+/)[2];
    if (name !== undefined) defined.add(name.split('@')[0]);
  }
  return defined;
}

export interface SymbolCheck {
  /** C API functions the binding needs from the library. */
  readonly required: readonly string[];
  /** Those the library does not export. */
  readonly missing: readonly string[];
}

export function checkSymbols(
  called: ReadonlySet<string>,
  declared: ReadonlySet<string>,
  defined: ReadonlySet<string>,
): SymbolCheck {
  const required = [...called].filter((name) => declared.has(name)).sort();
  return { required, missing: required.filter((name) => !defined.has(name)) };
}
