// A bench-only Worker (never deployed, no route of the product): runs the
// product's own key generation and password hashing so their CPU cost can be
// read from the workerd process that ran them, and calibrates what an empty
// request and one local D1 query cost workerd.
import { generateEd25519KeyPair, generateRsaKeyPair } from "../../src/lib/crypto/key-pairs";
import { hashPassword } from "../../src/lib/crypto/password";

interface BenchEnv {
	DB: D1Database;
}

const OPERATIONS: Record<string, (env: BenchEnv) => Promise<unknown>> = {
	"/noop": async () => undefined,
	// One D1 round trip returning one row: what the local D1 simulator adds per query.
	"/d1": (env) => env.DB.prepare("select ?1 as value").bind(1).first(),
	"/rsa": () => generateRsaKeyPair(),
	"/ed25519": () => generateEd25519KeyPair(),
	"/pbkdf2": () => hashPassword("bench password 1234"),
};

export default {
	async fetch(request: Request, env: BenchEnv): Promise<Response> {
		const operation = OPERATIONS[new URL(request.url).pathname];
		if (!operation) return new Response("unknown operation", { status: 404 });
		await operation(env);
		return new Response("ok");
	},
};
