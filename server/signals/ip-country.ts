import type { IpObservation, RiskFlag, Severity } from "../../shared/signals.js";
import type { SignalContext } from "./context.js";
import { countryName, isAdvisoryPattern, maxSeverity } from "./flags.js";
import { zoneCountries } from "./zones.js";

const brief = (o: IpObservation) => ({
  ip: o.ip,
  country: o.country,
  asn: o.asn,
  org: o.org,
  hosting: o.hosting,
});

/**
 * Where the candidate's IP addresses are against the claimed country. The
 * advisory's pattern is high; any other foreign address is medium, or low
 * when it belongs to a hosting network (the proxy rule already says so, and
 * a VPN exit's country says little about the person).
 */
export function ipCountryRule(ctx: SignalContext): RiskFlag[] {
  const claimed = ctx.claimed?.country;
  if (!claimed) return [];
  const foreign = ctx.ips.filter((o) => o.country && o.country !== claimed);
  if (!foreign.length) return [];

  const severities = foreign.map((o): Severity =>
    isAdvisoryPattern(claimed, o.country) ? "high" : o.hosting ? "low" : "medium",
  );
  const severity = maxSeverity(...severities);
  const countries = [...new Set(foreign.map((o) => o.country!))];
  const places = countries.map(countryName).join(", ");
  let explanation =
    `The candidate says they are in ${countryName(claimed)}, but ${foreign.length === 1 ? "an address" : `${foreign.length} addresses`} ` +
    `they connected from ${foreign.length === 1 ? "is" : "are"} in ${places}, according to an offline IP database.`;
  if (severity === "high") {
    explanation += ` A claimed ${countryName(claimed)} location with connections from ${places} is the pattern the advisory describes.`;
  } else if (foreign.every((o) => o.hosting)) {
    explanation += " These are hosting or VPN networks, so they show where a server is rather than where the person is.";
  }
  return [
    {
      id: "ip_country_mismatch",
      severity,
      advisoryFlag: "location_mismatch",
      title: `Connected from ${places}, not ${countryName(claimed)}`,
      explanation,
      evidence: { claimedCountry: claimed, ips: foreign.map(brief) },
    },
  ];
}

/**
 * Where the candidate's IP addresses are against the browser's time zone:
 * a Korean address with a Chinese clock suggests a tunnel into Korea.
 * Hosting addresses are left to the proxy rule.
 */
export function ipTimezoneRule(ctx: SignalContext): RiskFlag[] {
  const env = ctx.environment;
  if (!env) return [];
  const zoneCountriesList = zoneCountries(env.report.timeZone);
  const zoneCountry = zoneCountriesList[0];
  if (!zoneCountry) return [];
  const odd = ctx.ips.filter((o) => o.country && !o.hosting && !zoneCountriesList.includes(o.country));
  if (!odd.length) return [];

  const severity = odd.some((o) => isAdvisoryPattern(o.country, zoneCountry)) ? "high" : "medium";
  const places = [...new Set(odd.map((o) => countryName(o.country)))].join(", ");
  return [
    {
      id: "ip_timezone_mismatch",
      severity,
      advisoryFlag: "location_mismatch",
      title: `Connected from ${places} with a clock set for ${countryName(zoneCountry)}`,
      explanation:
        `The candidate's browser keeps time for ${env.report.timeZone} in ${countryName(zoneCountry)}, ` +
        `but their connection comes from ${places}. People travel, but a computer set up in one country ` +
        `that connects through another can also mean a remote desktop or a tunnel.`,
      evidence: { reportedZone: env.report.timeZone, zoneCountry, ips: odd.map(brief) },
    },
  ];
}
