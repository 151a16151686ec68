// API credential rotation as staff read it: a rotated credential is the previous secret of
// its replacement, listed under it ("replaced by …, works until …"), not a second row
// with the same name.

export interface RotatableCredential {
  id: string;
  rotatedFromId?: string | null;
}

export interface RotationGroup<C extends RotatableCredential> {
  /** The newest credential of the chain (the one to use). */
  current: C;
  /** Older secrets it replaced, newest first, each with what replaced it. */
  replaced: { credential: C; replacedBy: C }[];
}

/** Groups rotation chains, in the list's order of each chain's newest credential. */
export function groupRotations<C extends RotatableCredential>(credentials: readonly C[]): RotationGroup<C>[] {
  const byId = new Map(credentials.map((c) => [c.id, c]));
  const successorOf = new Map<string, C>();
  for (const c of credentials) {
    if (c.rotatedFromId && byId.has(c.rotatedFromId)) successorOf.set(c.rotatedFromId, c);
  }
  const groups: RotationGroup<C>[] = [];
  const placed = new Set<string>();
  for (const current of credentials) {
    if (successorOf.has(current.id)) continue; // listed under its replacement
    const replaced: { credential: C; replacedBy: C }[] = [];
    const seen = new Set([current.id]);
    let newer = current;
    while (newer.rotatedFromId && !seen.has(newer.rotatedFromId)) {
      const older = byId.get(newer.rotatedFromId);
      if (!older) break;
      replaced.push({ credential: older, replacedBy: newer });
      seen.add(older.id);
      newer = older;
    }
    groups.push({ current, replaced });
    for (const id of seen) placed.add(id);
  }
  // Only a malformed cycle leaves something unplaced: show it rather than lose it.
  for (const c of credentials) if (!placed.has(c.id)) groups.push({ current: c, replaced: [] });
  return groups;
}
