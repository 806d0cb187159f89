export { parseActor } from "./actor";
export { parseCollection } from "./collection";
export { ParseError } from "./errors";
export { parseActivity, parseObject } from "./object";
export { parsePost, parseTombstone } from "./post";
export { mediaKind, parseAttachments, parseTags } from "./tags";
export * from "./types";
export { visibilityFromAddressing } from "./visibility";
