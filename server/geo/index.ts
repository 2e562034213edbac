export { AsnTable, type AsnRecord } from "./asn-table.js";
export { HOSTING_ASNS, hostingReason } from "./hosting.js";
export { canonicalIp, isPublicIp, parseIp, type ParsedIp } from "./ip.js";
export { AsnTableLookup, MmdbLookup, combineLookups, recordToGeo, type GeoLookup } from "./lookup.js";
export { GeoSettings, openGeoLookup, shippedGeoPaths } from "./open.js";
