// The body of a mapping worker thread: one engine with its own compile cache, one request at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { SuyuanError } from '../errors.ts';
import { MappingEngine } from './engine.ts';
import type { EvaluateRequest, SerializedError, WorkerMessage, WorkerSetup } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('mapping-worker.ts runs only as a worker thread');
const setup = workerData as WorkerSetup;
const engine = new MappingEngine({ limits: setup.limits, cacheSize: setup.cacheSize });

function serialize(error: unknown): SerializedError {
  if (error instanceof SuyuanError) return { code: error.code, message: error.message, detail: error.detail };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), detail: {} };
}

port.on('message', (request: EvaluateRequest) => {
  const context = { now: new Date(request.now), bindings: request.bindings };
  engine.evaluate(request.mapping, request.input, context).then(
    (value) => port.postMessage({ type: 'result', jobId: request.jobId, ok: true, value } satisfies WorkerMessage),
    (error: unknown) => port.postMessage({ type: 'result', jobId: request.jobId, ok: false, error: serialize(error) } satisfies WorkerMessage),
  );
});

port.postMessage({ type: 'ready' } satisfies WorkerMessage);
