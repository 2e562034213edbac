import { beforeAll, describe, expect, it } from "vitest";
import type { ClaimedLocation } from "../../shared/location.js";
import { type GeoLookup, openGeoLookup } from "../geo/index.js";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import { buildContext } from "./context.js";
import { ipCountryRule, ipTimezoneRule } from "./ip-country.js";
import { RECEIVED_AT, T0, candidateEvent, environmentIn, minutes } from "../../test/fixtures/signal-events.js";

let geo: GeoLookup;
beforeAll(() => {
  geo = openGeoLookup();
});

const ctx = (claimed: ClaimedLocation | undefined, ips: string[], zone?: string) =>
  buildContext({
    interviewId: "iv_1",
    ...(claimed ? { claimed } : {}),
    events: ips.map((ip, i) => candidateEvent(ip, minutes(i))),
    geo,
    ...(zone ? { environment: { report: environmentIn(zone), receivedAt: RECEIVED_AT } } : {}),
    now: new Date(T0),
  });

describe("ipCountryRule", () => {
  it("flags a Japanese claim with an address in a Chinese range as high", () => {
    const [flag] = ipCountryRule(ctx({ country: "JP" }, [KNOWN_IPS.cnChinanet.ip]));
    expect(flag).toMatchObject({
      id: "ip_country_mismatch",
      severity: "high",
      advisoryFlag: "location_mismatch",
      evidence: { claimedCountry: "JP", ips: [{ ip: "1.48.0.1", country: "CN", asn: 4134, org: "Chinanet", hosting: false }] },
    });
    expect(flag!.title).toBe("Connected from China (CN), not Japan (JP)");
  });

  it("flags a Korean claim with a Russian address as high", () => {
    expect(ipCountryRule(ctx({ country: "KR" }, [KNOWN_IPS.ruRostelecom.ip]))[0]).toMatchObject({ severity: "high" });
  });

  it("rates another foreign home address as medium and a foreign VPN exit as low", () => {
    expect(ipCountryRule(ctx({ country: "KR" }, [KNOWN_IPS.usComcast.ip]))[0]).toMatchObject({ severity: "medium" });
    const [vpn] = ipCountryRule(ctx({ country: "KR" }, [KNOWN_IPS.jpAmazon.ip]));
    expect(vpn).toMatchObject({ severity: "low", evidence: { ips: [{ country: "JP", hosting: true }] } });
    expect(vpn!.explanation).toMatch(/hosting or VPN networks/);
  });

  it("passes addresses in the claimed country and skips private ones", () => {
    expect(ipCountryRule(ctx({ country: "KR" }, [KNOWN_IPS.krKoreaTelecom.ip, KNOWN_IPS.krKoreaTelecomV6.ip, "127.0.0.1"]))).toEqual([]);
    expect(ipCountryRule(ctx(undefined, [KNOWN_IPS.cnChinanet.ip]))).toEqual([]);
  });
});

describe("ipTimezoneRule", () => {
  it("flags a Korean address with a Chinese clock as high", () => {
    expect(ipTimezoneRule(ctx({ country: "KR" }, [KNOWN_IPS.krKoreaTelecom.ip], "Asia/Shanghai"))[0]).toMatchObject({
      id: "ip_timezone_mismatch",
      severity: "high",
      evidence: { reportedZone: "Asia/Shanghai", zoneCountry: "CN", ips: [{ ip: "1.96.0.1", country: "KR" }] },
    });
  });

  it("rates other pairs as medium", () => {
    expect(ipTimezoneRule(ctx(undefined, [KNOWN_IPS.usComcast.ip], "Asia/Seoul"))[0]).toMatchObject({ severity: "medium" });
  });

  it("passes agreement, leaves hosting addresses to the proxy rule, and skips zones with no country", () => {
    expect(ipTimezoneRule(ctx(undefined, [KNOWN_IPS.jpKddi.ip], "Asia/Tokyo"))).toEqual([]);
    expect(ipTimezoneRule(ctx(undefined, [KNOWN_IPS.krAmazon.ip], "Asia/Shanghai"))).toEqual([]);
    expect(ipTimezoneRule(ctx(undefined, [KNOWN_IPS.cnChinanet.ip], "UTC"))).toEqual([]);
  });
});
