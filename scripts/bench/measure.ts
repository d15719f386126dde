// Times a command as a whole process under GNU time, which reports the peak RSS the
// kernel saw for it: the number a user's runner would see.
import { execFile } from 'node:child_process';

export interface Measured {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, okCodes: number[] = [0]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile('/usr/bin/time', ['-f', '@@time %e %M', cmd, ...args], { env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 0;
      if (err && !okCodes.includes(code)) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${stderr.slice(-2000)}`));
        return;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const line = stderr.split('\n').reverse().find((l) => l.startsWith('@@time '));
      const kb = line ? Number(line.split(' ')[2]) : NaN;
      resolve({ seconds, peakRssMb: kb / 1024, stdout });
    });
  });
}

/** Runs `fn` `times` times and keeps the median run, so one slow outlier does not decide. */
export async function median<T extends { seconds: number }>(times: number, fn: () => Promise<T>): Promise<T> {
  const runs: T[] = [];
  for (let i = 0; i < times; i++) runs.push(await fn());
  runs.sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)]!;
}

/** Wall time of a sequence of commands (a shell loop's work), without a shell. */
export async function loop(count: number, cmd: string, args: (i: number) => string[], env: NodeJS.ProcessEnv = process.env): Promise<{ seconds: number; peakRssMb: number }> {
  const started = process.hrtime.bigint();
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const m = await measure(cmd, args(i), env);
    peak = Math.max(peak, m.peakRssMb);
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak };
}
