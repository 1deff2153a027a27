import type { Generations, WriteGenerations } from './write-generations';

/**
 * How long a value read from the store may be served from memory. It bounds how late this
 * process learns of a write made by another instance (or the CLI): a token revoked anywhere
 * stops working here within this time. Counted from before the read began.
 */
export const FRESH_MS = 1000;

/** When a value was read: the instant before the read, and the write generations then. */
export interface ReadStamp {
  readonly at: number;
  readonly generations: Generations;
}

/** The generation a value depends on, from a snapshot of the counters (e.g. `g => g.credentials`). */
export type DependsOn<V> = (value: V, generations: Generations) => number;

interface Entry<V> {
  readonly value: V;
  readonly until: number;
  readonly generation: number;
}

/**
 * Values read from the store, each served until the first of: FRESH_MS after its read began,
 * its own horizon (a token's expiry), or a local write that moves the generation it depends on
 * (write-generations.ts). At most `maxEntries`: when full, the oldest entry goes first, so a
 * flood of distinct keys cannot grow memory (and each entry lives a second at most anyway).
 */
export class FreshCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly generations: WriteGenerations,
    private readonly dependsOn: DependsOn<V>,
    private readonly maxEntries: number,
  ) {}

  /** Taken before reading the value that `keep` will store. */
  stamp(now: Date): ReadStamp {
    return { at: now.getTime(), generations: this.generations.snapshot() };
  }

  read(key: K, now: Date): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now.getTime() < entry.until && entry.generation === this.dependsOn(entry.value, this.generations)) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` as read at `stamp`, valid no later than `horizon` (ms since the epoch). */
  keep(key: K, value: V, stamp: ReadStamp, horizon = Infinity): void {
    const until = Math.min(stamp.at + FRESH_MS, horizon);
    const generation = this.dependsOn(value, stamp.generations);
    // A write that came between the read and now makes the value stale already.
    if (generation !== this.dependsOn(value, this.generations)) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, until, generation });
  }

  get size(): number {
    return this.entries.size;
  }
}
