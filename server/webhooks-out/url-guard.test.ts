import { describe, expect, it } from "vitest";
import { AppError } from "../errors/index.js";
import { checkWebhookTarget, forbiddenRange, parseWebhookUrl, type Resolver } from "./url-guard.js";

describe("forbiddenRange", () => {
  it("names the range of each forbidden address, IPv4-mapped forms included", () => {
    const cases: Array<[string, string]> = [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["::1", "loopback"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["0.0.0.0", "unspecified"],
      ["::", "unspecified"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["::ffff:10.0.0.1", "private"],
      ["fc00::1", "private"],
      ["fd12:3456::1", "private"],
      ["169.254.169.254", "link-local"],
      ["::ffff:169.254.169.254", "link-local"],
      ["fe80::1", "link-local"],
      ["febf::1", "link-local"],
      ["100.64.0.1", "carrier-grade NAT"],
      ["100.127.255.254", "carrier-grade NAT"],
      ["224.0.0.1", "multicast"],
      ["ff02::1", "multicast"],
      ["255.255.255.255", "reserved"],
      ["::127.0.0.1", "reserved"],
      // IPv6 transition forms (review 2, finding 9): a NAT64 gateway would deliver 64:ff9b::a00:5 to 10.0.0.5.
      ["64:ff9b::a00:5", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["64:ff9b::10.0.0.5", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["64:ff9b:1::a00:5", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["2002:a00:5::1", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["2002:808:808::1", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["2001:0:4136:e378:8000:63bf:f5ff:fffa", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      ["::ffff:0:a00:5", "IPv4 translation (NAT64, 6to4, Teredo, SIIT)"],
      // ISATAP interface ids embed an IPv4 address under any prefix.
      ["2606:4700::5efe:10.0.0.5", "private (embedded in an IPv6 address)"],
      ["2606:4700::200:5efe:7f00:1", "loopback (embedded in an IPv6 address)"],
    ];
    for (const [address, label] of cases) expect([address, forbiddenRange(address)]).toEqual([address, label]);
  });

  it("lets public addresses through, including the neighbours of the forbidden ranges", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255", "11.0.0.1", "169.253.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "fbff::1", "2606:4700::5efe:8.8.8.8", "2001:db8::1", "2003::1"]) {
      expect([address, forbiddenRange(address)]).toEqual([address, undefined]);
    }
  });
});

describe("parseWebhookUrl", () => {
  it("sees numeric hosts as the addresses they are", () => {
    expect(parseWebhookUrl("http://2130706433/").hostname).toBe("127.0.0.1");
    expect(parseWebhookUrl("http://0177.0.0.1/").hostname).toBe("127.0.0.1");
    expect(parseWebhookUrl("http://0x7f.1/").hostname).toBe("127.0.0.1");
    expect(parseWebhookUrl("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
  });

  it("refuses other schemes, credentials and non-URLs with webhook_url_forbidden", () => {
    for (const raw of ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "https://user:pw@example.com/", "https://token@example.com/", "not a url"]) {
      const err = (() => {
        try {
          parseWebhookUrl(raw);
        } catch (e) {
          return e;
        }
      })();
      expect(err, raw).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("webhook_url_forbidden");
    }
  });
});

describe("checkWebhookTarget", () => {
  // A stub resolver stands in for DNS in this unit test.
  const resolver =
    (table: Record<string, string[]>): Resolver =>
    async (host) => (table[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it("refuses a name when any of its addresses is forbidden, and says which", async () => {
    const resolve = resolver({ "mixed.example.test": ["93.184.216.34", "10.0.0.5"], "public.example.test": ["93.184.216.34", "2606:4700::1"] });
    await expect(checkWebhookTarget(new URL("https://mixed.example.test/h"), { allowPrivate: false, resolve })).rejects.toMatchObject({
      code: "webhook_url_forbidden",
      message: expect.stringContaining("mixed.example.test resolves to one"),
    });
    expect(await checkWebhookTarget(new URL("https://public.example.test/h"), { allowPrivate: false, resolve })).toHaveLength(2);
  });

  it("allows private targets only when told to, and never asks DNS about an address literal", async () => {
    const resolve: Resolver = async () => {
      throw new Error("an address literal was sent to the resolver");
    };
    await expect(checkWebhookTarget(new URL("http://[::1]:8080/"), { allowPrivate: false, resolve })).rejects.toMatchObject({ code: "webhook_url_forbidden" });
    expect(await checkWebhookTarget(new URL("http://[::1]:8080/"), { allowPrivate: true, resolve })).toEqual([{ address: "::1", family: 6 }]);
    expect(await checkWebhookTarget(new URL("http://93.184.216.34/"), { allowPrivate: false, resolve })).toEqual([{ address: "93.184.216.34", family: 4 }]);
  });
});
