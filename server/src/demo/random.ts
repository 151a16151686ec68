// The demo's randomness: a seeded PRNG, so two runs tell the same story, and
// the few kinds of draw the story makes.

export type Random = () => number;

/** Small, fast, seedable PRNG (Mulberry32): uniform [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MINUTE = 60_000;

/** `items[index]`, which the demo's fixed lists always hold: a missing one is a bug in the demo, not a draw. */
export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`demo: no item at ${index} of ${items.length}`);
  return item;
}

export class Dice {
  constructor(readonly random: Random) {}

  /** A duration between min and max minutes, in milliseconds. */
  minutes(min: number, max: number): number {
    return Math.round((min + this.random() * (max - min)) * MINUTE);
  }

  /** A duration between min and max seconds, in milliseconds. */
  seconds(min: number, max: number): number {
    return Math.round((min + this.random() * (max - min)) * 1000);
  }

  /** An instant in [from, to). */
  between(from: number, to: number): number {
    return from + Math.floor(this.random() * Math.max(1, to - from));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return itemAt(items, Math.floor(this.random() * items.length));
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.random() * total;
    for (const [item, w] of items) {
      roll -= w;
      if (roll < 0) return item;
    }
    return itemAt(items, items.length - 1)[0];
  }
}
