/**
 * A small seeded PRNG (sfc32) and the identifiers the demo derives from it. Every random
 * choice in the demo goes through one of these, seeded from (seed, what, when), so a given
 * day's traffic is the same whatever period it is generated as part of.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads the seed over the whole state, so nearby seeds give unrelated streams
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.word32();
  }

  /** a float in [0, 1) */
  next(): number {
    return this.word32() / 4294967296;
  }

  /** 32 random bits as an unsigned integer (one sfc32 step) */
  word32(): number {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** an integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `items` chosen by `weight(item)` */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1] as T;
  }

  /** `n` characters from `alphabet` */
  chars(n: number, alphabet: string): string {
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out.join('');
  }

  /** `n` lowercase hex digits */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.word32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  /** RFC 4122 version-4 shaped: what CloudTrail eventIDs and requestIDs look like */
  uuid(): string {
    const a = this.word32().toString(16).padStart(8, '0');
    const b = this.word32();
    const c = this.word32();
    const d = this.word32().toString(16).padStart(8, '0');
    const hi = (b >>> 16).toString(16).padStart(4, '0');
    const version = ((b & 0x0fff) | 0x4000).toString(16);
    const variant = (((c >>> 16) & 0x3fff) | 0x8000).toString(16);
    const tail = (c & 0xffff).toString(16).padStart(4, '0');
    return `${a}-${hi}-${version}-${variant}-${tail}${d}`;
  }
}

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** FNV-1a over the parts: turns (seed, stream name, day, ...) into a PRNG seed. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${part}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

/** A stable identifier from a name: the same principal has the same AIDA…/AKIA… in every run. */
export function stableId(prefix: string, length: number, ...parts: (string | number)[]): string {
  const key = `${prefix}/${length}/${parts.join('/')}`;
  let id = stableIds.get(key);
  if (id === undefined) {
    id = prefix + new Rng(seedOf('stable-id', prefix, ...parts)).chars(length, UPPER_ALNUM);
    stableIds.set(key, id);
  }
  return id;
}

/** a handful of principals: ids are looked up once per event, computed once per run */
const stableIds = new Map<string, string>();
