// The one bounded pool: at most `limit` calls of `fn` in flight, results in input order.
// Registries rate-limit bursts, a keep-alive agent serves a few sockets best, and hashing
// a few files at once keeps both cores and the disk busy without opening every layer.
//
// After the first failure no new item starts; the pool waits for the calls in flight and
// then throws that first failure. So when a caller hears of an error nothing it started
// is still uploading, reading the image or writing a spool file behind its back.

export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (firstError === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  if (firstError !== undefined) throw firstError.error;
  return results;
}

/** mapPool for work whose results are not needed. */
export async function forEachPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  await mapPool(items, limit, fn);
}
