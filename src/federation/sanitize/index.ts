export { sanitizeHtml, sanitizeHtmlSync } from "./sanitize";
