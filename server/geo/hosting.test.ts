import { beforeAll, describe, expect, it } from "vitest";
import { hostingReason } from "./hosting.js";
import { KNOWN_IPS } from "../../test/fixtures/known-ips.js";
import type { GeoLookup } from "./lookup.js";
import { openGeoLookup } from "./open.js";

describe("hostingReason on real networks from the shipped ASN table", () => {
  let geo: GeoLookup;
  beforeAll(() => {
    geo = openGeoLookup();
  });

  it("recognises clouds by AS number", () => {
    expect(hostingReason(geo.lookup(KNOWN_IPS.jpAmazon.ip))).toMatch(/AS16509 belongs to Amazon/);
    expect(hostingReason(geo.lookup(KNOWN_IPS.cnTencentCloud.ip))).toMatch(/Tencent Cloud/);
    expect(hostingReason(geo.lookup("8.8.8.8"))).toMatch(/Google/);
  });

  it("recognises VPN providers by AS number", () => {
    // 62.169.136.0/23 is Proton AG, 45.83.220.0/22 is 31173 Services (Mullvad).
    expect(hostingReason(geo.lookup("62.169.136.1"))).toMatch(/Proton VPN/);
    expect(hostingReason(geo.lookup("45.83.220.1"))).toMatch(/Mullvad/);
  });

  it("recognises hosting companies by name", () => {
    // 2.24.0.0-2.24.143.255 is AS47583 Hostinger, which is not in the AS list.
    expect(hostingReason(geo.lookup("2.24.0.1"))).toMatch(/"Hostinger International Limited", suggests hosting/);
  });

  it("leaves home and mobile carriers alone", () => {
    for (const known of [KNOWN_IPS.krKoreaTelecom, KNOWN_IPS.krSkBroadband, KNOWN_IPS.cnChinanet, KNOWN_IPS.cnUnicom, KNOWN_IPS.jpKddi, KNOWN_IPS.ruRostelecom, KNOWN_IPS.usComcast]) {
      expect(hostingReason(geo.lookup(known.ip)), known.ip).toBeUndefined();
    }
  });

  it("says nothing without an AS or a name", () => {
    expect(hostingReason({})).toBeUndefined();
  });
});
