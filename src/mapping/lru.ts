// A bounded least-recently-used map: the compile cache of the mapping engine.

/** A map that holds at most `capacity` entries, dropping the least recently used one to add another. */
export class Lru<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();
  #evictions = 0;

  /** `capacity` MUST be a positive integer; anything else throws `RangeError`. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LRU needs a positive integer capacity, not ${capacity}`);
    this.capacity = capacity;
  }

  /** The value under `key`, which becomes the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores `value` as the most recently used entry, evicting the least recently used past capacity. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value);
        this.#evictions++;
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** How many entries were dropped to make room since the map was made. */
  get evictions(): number {
    return this.#evictions;
  }
}
