import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../core/store';
import { bundleForNode } from './node-bundle';

/**
 * The server in a process of its own, in local mode on a fresh SQLite file. Unlike
 * startTestApp, a request that blocks its event loop cannot block the test: the test's
 * timeouts still fire, and close() kills the process.
 */
export interface ChildApp {
  url: string;
  /** Calls the store in the child: `store('members', 'list', tenantId, boardId)`. Store calls made this way are not counted as writes. */
  store<T = unknown>(aggregate: Exclude<keyof Store, 'close'>, method: string, ...args: unknown[]): Promise<T>;
  /** How many store writes the server has made (any call that is not a read), once the notices earlier requests started have settled, to show that a request wrote nothing. */
  writes(): Promise<number>;
  close(): Promise<void>;
}

let bundle: ReturnType<typeof bundleForNode> | undefined;

/** Starts the app in a child process with the given settings. */
export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  bundle ??= bundleForNode('test/support/child-app-server.ts');
  const dir = mkdtempSync(join(tmpdir(), 'noticed-child-app-'));
  const child: ChildProcess = fork(bundle.file, [], {
    env: { ...process.env, ...bundle.env, CHILD_APP_ENV: JSON.stringify({ SQLITE_PATH: join(dir, 'noticed.db'), ...env }) },
    execArgv: ['--disable-warning=DEP0111'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the child app exited with ${code}`)));
    child.on('message', (m: { ready?: string; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) return resolve(m.ready);
      const waiting = pending.get(m.id ?? 0);
      pending.delete(m.id ?? 0);
      if (m.error) waiting?.reject(new Error(m.error));
      else waiting?.resolve(m.result);
    });
  });
  const ask = <T>(message: object) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...message });
    });
  return {
    url,
    store: (aggregate, method, ...args) => ask({ kind: 'store', aggregate, method, args }),
    writes: () => ask<number>({ kind: 'writes' }),
    close: async () => {
      child.removeAllListeners('exit');
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
