// The password `--password-stdin` reads (as `docker login --password-stdin`): the whole of
// standard input, less one trailing newline. Read without blocking the event loop: a
// standard input that stays open (a runner that leaves it attached, a forgotten pipe)
// would otherwise hold the process past its time limit and past a signal, with no answer.
import { ImmutagError } from '../errors.ts';

/** Standard input to its end; a stop (the CLI's first signal) ends the wait with its reason. */
export function readPasswordStdin(stop?: AbortSignal): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) {
    return Promise.reject(new ImmutagError('INVALID_INPUT', '--password-stdin reads the password from a pipe, and standard input is a terminal', {
      hint: 'Pipe it in: printf %s "$PASSWORD" | immutag … --password-stdin, or set IMMUTAG_PASSWORD.',
    }));
  }
  if (stop?.aborted) return Promise.reject(stop.reason);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      stop?.removeEventListener('abort', onStop);
      input.removeListener('data', onData);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
    };
    const onStop = (): void => {
      done();
      // Nothing more is read: without this the open pipe would keep the process alive.
      input.destroy();
      reject(stop?.reason);
    };
    input.on('data', onData);
    input.once('end', () => {
      done();
      resolve(Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, ''));
    });
    input.once('error', (err) => {
      done();
      reject(new ImmutagError('INVALID_INPUT', `--password-stdin could not read standard input: ${err.message}`, {
        hint: 'Pipe the password in: printf %s "$PASSWORD" | immutag … --password-stdin.',
      }));
    });
    stop?.addEventListener('abort', onStop, { once: true });
  });
}
