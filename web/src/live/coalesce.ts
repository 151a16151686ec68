// A burst of live updates (a dozen calls in a minute, a bulk change) should cost
// a few refetches, not one per notice: the first notice runs at once, the rest
// of a burst is folded into one more run at the end of the window.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Coalescer<T> {
  push(item: T): void;
  cancel(): void;
}

/** Leading and trailing: `run` gets the first item alone, then everything that arrived in the window, at most once per window. */
export function coalesce<T>(run: (items: T[]) => void, windowMs: number, timers: Timers = realTimers): Coalescer<T> {
  let pending: T[] = [];
  let timer: unknown = null;
  const close = () => {
    timer = null;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    run(items);
    timer = timers.setTimeout(close, windowMs);
  };
  return {
    push(item) {
      if (timer === null) {
        run([item]);
        timer = timers.setTimeout(close, windowMs);
      } else {
        pending.push(item);
      }
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}
