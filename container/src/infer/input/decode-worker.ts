import { parentPort } from 'node:worker_threads';
import { decodeNow, DecodeRequest, DecodeResponse } from './decoder';

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

// Loaded: the pool's decode deadline starts now, not while the thread was starting.
parentPort!.postMessage({ ready: true } satisfies DecodeResponse);
