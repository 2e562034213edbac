export { hostingReason } from "./hosting.js";
export { isPublicIp } from "./ip.js";
export { type GeoLookup } from "./lookup.js";
export { openGeoLookup, type GeoSettings } from "./open.js";
