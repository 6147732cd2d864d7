import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Decoded, DecodeRequest, DecodeResponse, Decoder } from './decoder';

interface Waiter {
  resolve(decoded: Decoded): void;
  reject(error: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly waiting: Map<number, Waiter>;
}

/**
 * The decode thread's script: compiled JavaScript beside this file in the container image
 * (dist/decode-worker.js), else the TypeScript source through tsx's require hook (tsx, jest).
 */
function startWorker(): Worker {
  const compiled = join(__dirname, 'decode-worker.js');
  if (existsSync(compiled)) return new Worker(compiled);
  const source = join(__dirname, 'decode-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
}

/**
 * Decodes on `threads` worker threads, so image decoding and preprocessing run on other cores
 * while the main thread feeds the model (tfjs runs model calls synchronously on the main
 * thread). Requests go to the thread with the fewest waiting; decoded samples come back by
 * transfer, without a copy.
 */
export function decodePool(threads: number): Decoder {
  let nextId = 0;
  let closing = false;
  const pool: Thread[] = Array.from({ length: threads }, (_, index) => {
    const thread: Thread = { worker: startWorker(), waiting: new Map() };
    const failAll = (error: Error) => {
      for (const waiter of thread.waiting.values()) waiter.reject(error);
      thread.waiting.clear();
    };
    thread.worker.on('message', (response: DecodeResponse) => {
      const waiter = thread.waiting.get(response.id);
      thread.waiting.delete(response.id);
      if ('error' in response)
        waiter?.reject(new Error(`decode thread ${index}: ${response.error}`));
      else waiter?.resolve({ records: response.records, decodeMs: response.decodeMs });
    });
    thread.worker.on('error', (error) =>
      failAll(new Error(`decode thread ${index} failed: ${error.message}`)),
    );
    thread.worker.on('exit', (code) => {
      if (!closing) failAll(new Error(`decode thread ${index} exited with code ${code}`));
    });
    return thread;
  });
  return {
    decode: (request) => {
      const thread = pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
      const id = nextId++;
      return new Promise<Decoded>((resolve, reject) => {
        thread.waiting.set(id, { resolve, reject });
        thread.worker.postMessage({ id, ...request } satisfies DecodeRequest);
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(pool.map((thread) => thread.worker.terminate()));
    },
  };
}
