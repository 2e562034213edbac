export { AppError, ERROR_STATUS, notFound, rateLimited, unauthorized } from "./errors.js";
export { onError } from "./on-error.js";
export { parseJson, parseValue } from "./validate.js";
