// Bus notices as the async iterator a GraphQL subscription returns.
// return() unsubscribes at once, even while a next() is waiting (an async
// generator would only see it after the next notice arrived).

/** Notices held for a subscriber that is slower than the bus; the oldest are dropped past it. */
export const MAX_PENDING_NOTICES = 100;

export function noticeStream<T>(subscribe: (push: (notice: T) => void) => () => void): AsyncIterableIterator<T> {
  const pending: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let done = false;

  const unsubscribe = subscribe((notice) => {
    if (done) return;
    const next = waiting.shift();
    if (next) {
      next({ value: notice, done: false });
      return;
    }
    // Notices say "look again", they carry no data: losing the oldest of a
    // backlog only means the client reloads a lead it is about to hear of anyway.
    if (pending.length >= MAX_PENDING_NOTICES) pending.shift();
    pending.push(notice);
  });

  const finish = (): IteratorResult<T> => {
    if (!done) {
      done = true;
      unsubscribe();
      pending.length = 0;
      for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
    }
    return { value: undefined, done: true };
  };

  return {
    next() {
      // Not empty, so shift() returns a notice (T itself may allow undefined, so no check on its result).
      if (pending.length > 0) return Promise.resolve({ value: pending.shift() as T, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      return Promise.resolve(finish());
    },
    throw(error?: unknown) {
      finish();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the iterator protocol rejects with the caller's own error
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Maps each item of `source` with `map`; return() reaches the source at once.
 * (graphql-js's own mapper is internal; this is what it does.)
 */
export function mapStream<T, R>(source: AsyncIterator<T>, map: (item: T) => Promise<R>): AsyncIterableIterator<R> {
  const close = async (): Promise<IteratorResult<R>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      const item = await source.next();
      if (item.done) return { value: undefined, done: true };
      return { value: await map(item.value), done: false };
    },
    return: close,
    async throw(error?: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
