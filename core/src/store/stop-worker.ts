import type { Worker } from 'node:worker_threads';

/**
 * Asks one of the store's workers to close its connection and waits until it has exited.
 * The workers are unreferenced so they never keep a process alive; this one is held while it
 * stops, or a process with nothing else to wait for would end inside the wait and whoever
 * awaited it would never go on.
 */
export async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.ref();
  worker.postMessage('stop');
  await exited;
}
