import type { NativeStatus } from './native-location';

/** The Node.js running the setup or the worker, as far as a native build cares. */
export interface RunningNode {
  /** process.version, e.g. v24.22.3. */
  readonly version: string;
  /** The highest Node-API version it implements (process.versions.napi). */
  readonly napiVersion: number;
}

export function runningNode(): RunningNode {
  return { version: process.version, napiVersion: Number(process.versions.napi) };
}

/** What a build is made from: the project's @tensorflow/tfjs version and the wheel pins. */
export interface BuildInputs {
  readonly tfjsVersion: string;
  readonly pins: string;
}

/**
 * Why the recorded build cannot serve these inputs on this Node.js, or undefined when it can.
 * tfjs-node is a Node-API addon: Node-API is ABI-stable across Node.js majors (a build made on
 * Node 20 loads and computes on Node 24), so what decides is the Node-API version it was
 * compiled for, which the running Node.js must implement, not the Node.js major or its
 * NODE_MODULE_VERSION.
 */
export function rebuildReason(
  status: NativeStatus | undefined,
  inputs: BuildInputs,
  node: RunningNode,
): string | undefined {
  if (status === undefined) return 'no build on record';
  if (!status.ok) return `the last attempt failed: ${status.reason}`;
  if (status.tfjsVersion !== inputs.tfjsVersion) {
    return `built for @tensorflow/tfjs ${status.tfjsVersion}, the project has ${inputs.tfjsVersion}`;
  }
  if (status.pins !== inputs.pins) return 'built from other wheel pins';
  if (status.napiVersion === undefined) return 'no Node-API version on record';
  if (status.napiVersion > node.napiVersion) {
    return `built for Node-API ${status.napiVersion} (on Node.js ${status.nodeVersion}), Node.js ${node.version} implements Node-API ${node.napiVersion}`;
  }
  return undefined;
}

/**
 * Whether a recorded failure still holds, so the first-use step need not try again: only on the
 * Node.js that failed, since another one may bring what was missing (its headers, say).
 */
export function failureStands(status: NativeStatus, node: RunningNode): boolean {
  return !status.ok && status.nodeVersion === node.version;
}
