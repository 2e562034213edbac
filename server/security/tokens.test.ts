import { describe, expect, it } from "vitest";
import { hashSecret, looksLikeSecret, newSecret, sameHash } from "./tokens.js";

describe("link secrets", () => {
  it("carry 256 bits and are never repeated", () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newSecret()));
    expect(seen.size).toBe(1000);
    const one = newSecret();
    expect(Buffer.from(one, "base64url")).toHaveLength(32);
    expect(looksLikeSecret(one)).toBe(true);
  });

  it("are stored as a hash that does not reveal them", () => {
    const secret = newSecret();
    const hash = hashSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(sameHash(hash, hashSecret(secret))).toBe(true);
    expect(sameHash(hash, hashSecret(newSecret()))).toBe(false);
  });

  it("reject malformed tokens before any lookup", () => {
    expect(looksLikeSecret("short")).toBe(false);
    expect(looksLikeSecret("a".repeat(42) + "!")).toBe(false);
  });
});
