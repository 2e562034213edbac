export { DocumentService, type DocumentServiceDeps, DOCUMENT_SNAPSHOT_STEP } from "./service.js";
export { countryOfMrzCode, documentNumberHash, expiryDateOf, namesMatch } from "./checks.js";
export { loadDocumentHashKey } from "./hash-key.js";
