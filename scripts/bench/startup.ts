// Issue 13's start-up goal: node on the Action bundle to its first request, within
// 60 ms of `node -e 0`. Measured from the spawn to the moment a listener on
// 127.0.0.1 accepts the first connection (the registry ping), beside `node -e 0`
// run to its exit and the CLI's `--version`, alternating so a busy machine slows
// them alike; medians of 15. The listener answers nothing: only the connection's
// arrival is timed, then the process is killed.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { BenchRow } from './row.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RUNS = 15;

export async function benchStartup(): Promise<BenchRow[]> {
  const sockets = new Set<Socket>();
  let onConnection: (() => void) | undefined;
  const server = createServer((s) => {
    sockets.add(s);
    onConnection?.();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actionEnv = {
    ...process.env,
    'INPUT_TAGS': `${host}/bench/app:1.0`,
    'INPUT_INSECURE-REGISTRIES': host,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: process.env['TMPDIR'] ?? '/tmp',
  };
  const runs = { bare: [] as number[], action: [] as number[], version: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      runs.bare.push(await untilExit(['-e', '0'], process.env));
      runs.action.push(await untilConnection(join(ROOT, 'dist', 'index.js'), actionEnv, (f) => { onConnection = f; }));
      runs.version.push(await untilExit([join(ROOT, 'dist', 'cli.js'), '--version'], process.env));
    }
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
  const bare = median(runs.bare);
  const section = 'start-up (median of 15, alternating)';
  return [
    { section, tool: 'node dist/index.js (the Action) to its first request', seconds: median(runs.action),
      note: `${Math.round((median(runs.action) - bare) * 1000)} ms over node -e 0 (goal: within 60 ms)` },
    { section, tool: 'node -e 0, to exit', seconds: bare },
    { section, tool: 'immutag --version (the CLI), to exit', seconds: median(runs.version),
      note: `${Math.round((median(runs.version) - bare) * 1000)} ms over node -e 0` },
  ];
}

function untilExit(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolveRun(Number(process.hrtime.bigint() - started) / 1e9));
  });
}

function untilConnection(script: string, env: NodeJS.ProcessEnv, listen: (f: () => void) => void): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: 'ignore' });
    let seconds: number | undefined;
    listen(() => {
      seconds ??= Number(process.hrtime.bigint() - started) / 1e9;
      child.kill('SIGKILL');
    });
    child.once('error', reject);
    child.once('exit', () => (seconds === undefined ? reject(new Error(`${script} exited before its first request`)) : resolveRun(seconds)));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
