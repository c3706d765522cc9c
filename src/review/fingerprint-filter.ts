import { createHash } from "node:crypto";

// A review can list a few hundred fingerprints in its hidden marker; a pull
// request with thousands of findings cannot (21 characters each against a
// 65,536-character body). The ones it only counts are kept as a Bloom
// filter in the marker instead: bounded in size, so the next push does not
// report them again. A false "already posted" is possible but rare (about
// 1 in 10,000 at the sizes that fit; more only past ~10,000 findings), and
// costs a finding its repeat in a review, never its place in the check.

const BITS_PER_ITEM = 19.2; // ln(1e4) / ln(2)^2: one false positive in 10,000
const MAX_HASHES = 14;

export class FingerprintFilter {
  private constructor(
    private readonly bits: Uint8Array,
    readonly hashes: number,
  ) {}

  /** A filter holding `fingerprints`, at most `maxBytes` large (it gets less exact past that). */
  static of(fingerprints: readonly string[], maxBytes: number): FingerprintFilter {
    const n = Math.max(1, fingerprints.length);
    const bytes = Math.max(8, Math.min(maxBytes, Math.ceil((n * BITS_PER_ITEM) / 8)));
    const hashes = Math.min(MAX_HASHES, Math.max(1, Math.round(((bytes * 8) / n) * Math.LN2)));
    const filter = new FingerprintFilter(new Uint8Array(bytes), hashes);
    for (const fp of fingerprints) for (const bit of filter.positions(fp)) filter.bits[bit >> 3]! |= 1 << (bit & 7);
    return filter;
  }

  has(fingerprint: string): boolean {
    for (const bit of this.positions(fingerprint)) if ((this.bits[bit >> 3]! & (1 << (bit & 7))) === 0) return false;
    return true;
  }

  /** `<hashes>:<base64url>`, safe inside an HTML comment. */
  encode(): string {
    return `${this.hashes}:${Buffer.from(this.bits).toString("base64url")}`;
  }

  /** The filter from `encode`'s text, or null for anything else. */
  static decode(text: string): FingerprintFilter | null {
    const m = /^(\d{1,2}):([A-Za-z0-9_-]{11,})$/.exec(text);
    if (!m) return null;
    const hashes = Number(m[1]);
    const bits = Buffer.from(m[2]!, "base64url");
    if (hashes < 1 || hashes > MAX_HASHES || bits.length < 8) return null;
    return new FingerprintFilter(new Uint8Array(bits), hashes);
  }

  // Double hashing (Kirsch–Mitzenmacher): two 32-bit hashes give all k positions.
  private positions(fingerprint: string): number[] {
    const digest = createHash("sha256").update(fingerprint).digest();
    const h1 = digest.readUInt32BE(0);
    const h2 = digest.readUInt32BE(4) | 1;
    const m = this.bits.length * 8;
    const out: number[] = [];
    for (let i = 0; i < this.hashes; i++) out.push(((h1 + Math.imul(i, h2)) >>> 0) % m);
    return out;
  }
}
