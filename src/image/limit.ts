// Bounded parallelism for hashing: a few files at once keeps both cores and the
// disk busy without opening every layer of a large image at the same time.

/**
 * Runs `fn` over `items` with at most `limit` in flight. After the first failure no
 * new item starts; it waits for the ones in flight, then throws that first failure,
 * so nothing is still reading the image when the caller hears about it.
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (firstError === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  if (firstError !== undefined) throw firstError.error;
}
