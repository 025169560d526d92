/**
 * A small seeded PRNG (sfc32) and the distributions the simulator draws from. Seeded so that
 * `--seed 7` gives the same stream on every machine; never Math.random.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#a >>>= 0;
    this.#b >>>= 0;
    this.#c >>>= 0;
    this.#d >>>= 0;
    let t = (this.#a + this.#b) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#d = (this.#d + 1) | 0;
    t = (t + this.#d) | 0;
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normal: heavy-tailed amounts, most small, a few very large. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * normal);
  }

  /** A 40-hex-digit address, lowercased, with `0x`. */
  address(): string {
    let hex = '';
    for (let i = 0; i < 5; i++) hex += (this.int(0x100000000) >>> 0).toString(16).padStart(8, '0');
    return `0x${hex}`;
  }

  /** A bech32-looking Bitcoin address (not checksummed: the detectors do not care). */
  bitcoinAddress(): string {
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    let out = 'bc1q';
    for (let i = 0; i < 38; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  hash(): string {
    let hex = '';
    for (let i = 0; i < 8; i++) hex += (this.int(0x100000000) >>> 0).toString(16).padStart(8, '0');
    return `0x${hex}`;
  }
}
