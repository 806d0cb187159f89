// The Worker's own TypeScript services, bundled for Node (as bin/tern.mjs does),
// so seeded keys, password hashes and token hashes have exactly the product's format.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export async function loadServices(root) {
	const outfile = join(root, "node_modules", ".cache", "tern-bench", "services.mjs");
	mkdirSync(dirname(outfile), { recursive: true });
	await build({
		stdin: {
			contents: [
				'export { generateAccountKeys } from "./src/services/accounts/keys";',
				'export { hashPassword } from "./src/lib/crypto/password";',
				'export { sha256Hex } from "./src/lib/crypto/digest";',
				'export { indexedDocument } from "./src/services/search/indexing";',
			].join("\n"),
			resolveDir: root,
			loader: "ts",
		},
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		outfile,
		logLevel: "error",
	});
	return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
