import { parentPort, workerData } from 'node:worker_threads';
import type { DecodeThreadData } from './decode-pool';
import { decodeNow, DecodeRequest, DecodeResponse } from './decoder';
import { tensorflowImageOps } from './tensorflow-image';

/** Entry point of a decode thread: one request in, its records out, sample buffers moved. */
parentPort!.on('message', (request: DecodeRequest) => {
  let response: DecodeResponse;
  try {
    response = { id: request.id, ...decodeNow(request) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  const transfer = 'records' in response ? response.records.samples.map((s) => s.input.buffer) : [];
  parentPort!.postMessage(response, transfer as ArrayBuffer[]);
});

// TensorFlow's image ops are loaded before the thread says it is ready; a binding that does not
// load fails the thread, and with it the shard, naming why.
const { native } = (workerData ?? {}) as DecodeThreadData;
if (native) tensorflowImageOps(native);

// Loaded: the pool's decode deadline starts now, not while the thread was starting.
parentPort!.postMessage({ ready: true } satisfies DecodeResponse);
