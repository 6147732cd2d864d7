import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NativeVariant } from '../../../native/native-location';
import type { Decoded, DecodeRequest, DecodeResponse, Decoder } from './decoder';

interface Pending {
  readonly request: DecodeRequest;
  resolve(decoded: Decoded): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  /** Requests posted to this thread, in order: a thread decodes one at a time, the first. */
  readonly queue: Pending[];
  /** Loaded and decoding: the deadline of the first request runs only from then. */
  ready: boolean;
  timer?: NodeJS.Timeout;
}

export interface DecodePoolOptions {
  /**
   * Longest one object may take to decode. Past it the thread is terminated (the only way to
   * stop synchronous decoding), the object becomes one DECODE_FAILED record, and a new thread
   * takes the requests that were waiting behind it. A thread inside one of TensorFlow's ops
   * stops when the op returns, which the header checks bound; the event loop never waits.
   */
  readonly timeoutMs: number;
  /**
   * The native binding whose image ops decode (DecodeLimits.native): each thread loads it before
   * it reports ready, so loading never counts against a decode's deadline.
   */
  readonly native?: NativeVariant;
}

/** What a decode thread is started with. */
export interface DecodeThreadData {
  readonly native?: NativeVariant;
}

/**
 * The decode thread's script: compiled JavaScript beside this file in the container image
 * (dist/decode-worker.js), else the TypeScript source through tsx's require hook (tsx, jest).
 */
function startWorker(workerData: DecodeThreadData): Worker {
  const compiled = join(__dirname, 'decode-worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = join(__dirname, 'decode-worker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, {
    eval: true,
    workerData,
  });
}

function timedOut(timeoutMs: number): Decoded {
  const reason = `decoding took longer than ${timeoutMs / 1000} s and was stopped`;
  return {
    records: { samples: [], failures: [{ offset: 0, code: 'DECODE_FAILED', reason }], skipped: 0 },
    decodeMs: timeoutMs,
  };
}

/**
 * Decodes on `threads` worker threads, so image decoding and preprocessing run on other cores
 * while the main thread feeds the model (tfjs runs model calls synchronously on the main
 * thread). Requests go to the thread with the fewest waiting; decoded samples come back by
 * transfer, without a copy. Each decode is bounded in time by `options.timeoutMs`.
 */
export function decodePool(threads: number, options: DecodePoolOptions): Decoder {
  const threadData: DecodeThreadData = options.native ? { native: options.native } : {};
  let nextId = 0;
  let closing = false;

  const armTimer = (thread: Thread, index: number) => {
    clearTimeout(thread.timer);
    const head = thread.queue[0];
    if (!head || !thread.ready) return;
    thread.timer = setTimeout(() => {
      thread.queue.shift();
      head.resolve(timedOut(options.timeoutMs));
      void replaceWorker(thread, index);
    }, options.timeoutMs);
  };

  const attach = (thread: Thread, index: number) => {
    const worker = thread.worker;
    const failAll = (error: Error) => {
      if (thread.worker !== worker) return;
      clearTimeout(thread.timer);
      for (const pending of thread.queue.splice(0)) pending.reject(error);
    };
    worker.on('message', (response: DecodeResponse) => {
      if (thread.worker !== worker) return;
      if ('ready' in response) {
        thread.ready = true;
        armTimer(thread, index);
        return;
      }
      const head = thread.queue[0];
      if (head?.request.id !== response.id) return;
      thread.queue.shift();
      armTimer(thread, index);
      if ('error' in response) head.reject(new Error(`decode thread ${index}: ${response.error}`));
      else head.resolve({ records: response.records, decodeMs: response.decodeMs });
    });
    worker.on('error', (error) =>
      failAll(new Error(`decode thread ${index} failed: ${error.message}`)),
    );
    worker.on('exit', (code) => {
      if (!closing) failAll(new Error(`decode thread ${index} exited with code ${code}`));
    });
  };

  /** A new worker for the slot, given the requests the stopped one had not reached. */
  const replaceWorker = async (thread: Thread, index: number) => {
    const stopped = thread.worker;
    thread.worker = startWorker(threadData);
    thread.ready = false;
    attach(thread, index);
    for (const pending of thread.queue) thread.worker.postMessage(pending.request);
    await stopped.terminate();
  };

  const pool: Thread[] = Array.from({ length: threads }, (_, index) => {
    const thread: Thread = { worker: startWorker(threadData), queue: [], ready: false };
    attach(thread, index);
    return thread;
  });
  return {
    decode: (fields) => {
      const index = pool.reduce(
        (best, t, i) => (t.queue.length < pool[best].queue.length ? i : best),
        0,
      );
      const thread = pool[index];
      const request: DecodeRequest = { id: nextId++, ...fields };
      return new Promise<Decoded>((resolve, reject) => {
        thread.queue.push({ request, resolve, reject });
        thread.worker.postMessage(request);
        if (thread.queue.length === 1) armTimer(thread, index);
      });
    },
    close: async () => {
      closing = true;
      for (const thread of pool) clearTimeout(thread.timer);
      await Promise.all(pool.map((thread) => thread.worker.terminate()));
    },
  };
}
