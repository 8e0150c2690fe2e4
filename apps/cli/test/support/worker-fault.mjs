// Preloaded with `node --import` (worker threads inherit it): the worker thread whose id is
// REEF_FAULT_THREAD answers its REEF_FAULT_BATCH-th batch with the error reply a worker sends
// when dissecting throws, so parallel.test.ts can check what reef-cli does when a worker fails.
import { isMainThread, parentPort, threadId } from 'node:worker_threads';

if (!isMainThread && parentPort && threadId === Number(process.env.REEF_FAULT_THREAD)) {
  const at = Number(process.env.REEF_FAULT_BATCH);
  const post = parentPort.postMessage.bind(parentPort);
  let batches = 0;
  parentPort.postMessage = (msg, transfer) => {
    if ((msg?.type === 'print' || msg?.type === 'filter') && ++batches === at) return post({ type: 'error', message: 'injected failure' });
    return post(msg, transfer);
  };
}
