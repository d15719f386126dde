// Found by a review (fixed since): --password-stdin with a standard input that is open but never ends (a CI runner
// that leaves stdin attached, a forgotten pipe, a terminal). cli.ts reads it with
// readFileSync(0) after installing its signal handlers: the event loop is blocked, so
// --timeout never fires and SIGTERM (whose default action the CLI replaced) is never
// handled: the process hangs until SIGKILL, with no JSON document and no 143 exit, though
// the README/cli-signal-json promise "the first signal stops the run, which then answers".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

test('--password-stdin on a stdin that never ends: SIGTERM still ends the run with 143 and one JSON document', async () => {
  const child = spawn(process.execPath, [CLI, 'check', '127.0.0.1:9/app:1.0', '--username', 'u', '--password-stdin', '--timeout', '2s', '--json'],
    { env: { PATH: process.env['PATH'], HOME: process.env['HOME'] }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const end = await closed;
  clearTimeout(killer);
  assert.equal(end.signal, null, `still running 5 s after SIGTERM (and 6 s past --timeout 2s): ended by ${end.signal}; stdout ${JSON.stringify(stdout)}`);
  assert.equal(end.code, 143);
  assert.doesNotThrow(() => JSON.parse(stdout), 'one JSON document');
});
