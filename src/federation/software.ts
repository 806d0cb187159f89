import pkg from "../../package.json";

/** How Tern names itself to peers (NodeInfo, User-Agent). */
export const SOFTWARE = { name: "tern", version: pkg.version } as const;
