export { sanitizeHtml } from "./sanitize";
