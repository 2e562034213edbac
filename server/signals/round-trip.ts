import type { RiskFlag } from "../../shared/signals.js";
import { distanceKm, findCity } from "./cities.js";
import type { SignalContext } from "./context.js";
import { countryName } from "./flags.js";

/**
 * Physics check: a signal cannot cross the distance between the claimed city
 * and the media server faster than light in fibre, about 100 km for each
 * millisecond of round trip. A measured round trip shorter than the distance
 * allows means the candidate is nearer the server than they claim.
 */
export function roundTripRule(ctx: SignalContext): RiskFlag[] {
  const server = ctx.settings.serverLocation;
  const claimed = ctx.claimed;
  // The smallest round trip over every report: a later report of slow round trips cannot lower the risk.
  const minRtt = ctx.network?.minRttMs;
  const rttSource = ctx.network?.rttSource ?? "reported";
  if (!server || !claimed?.city || minRtt === undefined) return [];
  const city = findCity(claimed.country, claimed.city);
  if (!city) return [];

  const { kmPerMsRoundTrip, cityRadiusKm } = ctx.settings;
  const distance = distanceKm(city, server);
  const effective = Math.max(0, distance - cityRadiusKm);
  const required = effective / kmPerMsRoundTrip;
  if (minRtt >= required) return [];

  const maxReach = minRtt * kmPerMsRoundTrip + cityRadiusKm;
  const km = (n: number) => `${Math.round(n).toLocaleString("en-US")} km`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const arithmetic =
    `(${km(distance)} − ${km(cityRadiusKm)} city allowance) ÷ ${kmPerMsRoundTrip} km per ms = ` +
    `${ms(required)} minimum round trip; measured ${ms(minRtt)}`;
  return [
    {
      id: "implausible_rtt",
      severity: "high",
      advisoryFlag: "location_mismatch",
      title: `Network round trip too short for ${city.name}`,
      explanation:
        `${city.name}, ${countryName(city.country)} is ${km(distance)} from the interview server. Even at the speed of light ` +
        `in fibre a round trip over that distance takes at least ${ms(required)}, but the candidate's connection answered in ` +
        `${ms(minRtt)}. The candidate must be within about ${km(maxReach)} of the server, not in ${city.name}.` +
        (rttSource === "reported" ? " The round trip was reported by the candidate's browser, not measured by the kit." : ""),
      evidence: {
        claimedCity: city.name,
        claimedCountry: city.country,
        cityLocation: { lat: city.lat, lon: city.lon },
        serverLocation: server,
        distanceKm: Math.round(distance),
        cityRadiusKm,
        kmPerMsRoundTrip,
        requiredMinRttMs: Number(required.toFixed(1)),
        measuredMinRttMs: minRtt,
        rttSource,
        maxDistanceKm: Math.round(maxReach),
        arithmetic,
      },
    },
  ];
}
