export { IdentityService, type IdentityServiceDeps } from "./service.js";
export { TemplateIndex } from "./template-index.js";
export { buildTemplate, cosine, normalize } from "./template.js";
