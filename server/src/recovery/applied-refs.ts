// Provider refs this process saw committed (exactly-once.ts keys), so a replay
// of a delivery this node already applied is answered without the database: a
// retry storm (Twilio retrying a slow answer, a replayed batch) costs a Set
// lookup instead of building and running the missed-call statement. Only refs
// whose writes committed are added, and a ref never stops being applied, so an
// entry is never wrong; a ref applied by another node, or evicted here, takes
// the database path, which detects the replay as before. Keys carry the org, so
// servers sharing a process (tests) never answer for each other.
export const DEFAULT_APPLIED_REFS_CAPACITY = 20_000;

export class AppliedRefs {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = DEFAULT_APPLIED_REFS_CAPACITY) {}

  has(orgId: string, providerRef: string): boolean {
    return this.keys.has(`${orgId} ${providerRef}`);
  }

  /** Call only once the writes keyed by `providerRef` committed (or were found committed). */
  add(orgId: string, providerRef: string): void {
    const key = `${orgId} ${providerRef}`;
    if (this.keys.has(key)) return;
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.keys.size >= this.capacity) {
      const oldest = this.keys.values().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.add(key);
  }
}
