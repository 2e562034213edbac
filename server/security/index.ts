export { newSecret, newId, hashSecret, sameHash, looksLikeSecret } from "./tokens.js";
export { ClientIpResolver } from "./client-ip.js";
