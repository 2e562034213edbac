export { NetworkReuseService, type NetworkReuseDeps } from "./service.js";
export { networkPrefix } from "./prefix.js";
