import { TERN_VERSION } from "../version";

/** How Tern names itself to peers (NodeInfo, User-Agent). */
export const SOFTWARE = { name: "tern", version: TERN_VERSION } as const;
