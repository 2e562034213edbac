import { describe, expect, it } from "vitest";
import { ClientIpResolver } from "./client-ip.js";

describe("ClientIpResolver", () => {
  it("ignores X-Forwarded-For when no proxy is trusted", () => {
    const r = new ClientIpResolver([]);
    expect(r.resolve("203.0.113.9", "1.2.3.4")).toBe("203.0.113.9");
  });

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    const r = new ClientIpResolver(["10.0.0.0/8"]);
    expect(r.resolve("198.51.100.7", "1.2.3.4")).toBe("198.51.100.7");
  });

  it("takes the right-most untrusted hop behind trusted proxies", () => {
    const r = new ClientIpResolver(["10.0.0.0/8", "127.0.0.1"]);
    expect(r.resolve("127.0.0.1", "8.8.8.8, 1.2.3.4, 10.1.1.1")).toBe("1.2.3.4");
    expect(r.resolve("::ffff:127.0.0.1", "175.45.176.1")).toBe("175.45.176.1");
  });

  it("skips garbage in the header", () => {
    const r = new ClientIpResolver(["127.0.0.1"]);
    expect(r.resolve("127.0.0.1", "not-an-ip, 1.2.3.4")).toBe("1.2.3.4");
  });

  it("rejects a malformed trusted proxy setting", () => {
    expect(() => new ClientIpResolver(["example.com"])).toThrowError(/TRUSTED_PROXIES/);
  });
});
