export { newSecret, newId, hashSecret, sameHash, looksLikeSecret } from "./tokens.js";
export { ApiKeyVerifier } from "./api-keys.js";
export { ClientIpResolver } from "./client-ip.js";
