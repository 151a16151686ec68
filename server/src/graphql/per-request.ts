// Things that live exactly as long as one GraphQL request (DataLoaders), keyed
// by the request's context object so nothing leaks between requests.
const caches = new WeakMap<object, Map<string, unknown>>();

export function perRequest<T>(context: object, name: string, create: () => T): T {
  let cache = caches.get(context);
  if (!cache) {
    cache = new Map();
    caches.set(context, cache);
  }
  if (!cache.has(name)) cache.set(name, create());
  return cache.get(name) as T;
}
