// A bench-only Worker (never deployed, no route of the product): runs the
// product's own key generation and password hashing so their CPU cost can be
// read from the workerd process that ran them.
import { generateEd25519KeyPair, generateRsaKeyPair } from "../../src/lib/crypto/key-pairs";
import { hashPassword } from "../../src/lib/crypto/password";

const OPERATIONS: Record<string, () => Promise<unknown>> = {
	"/noop": async () => undefined,
	"/rsa": () => generateRsaKeyPair(),
	"/ed25519": () => generateEd25519KeyPair(),
	"/pbkdf2": () => hashPassword("bench password 1234"),
};

export default {
	async fetch(request: Request): Promise<Response> {
		const operation = OPERATIONS[new URL(request.url).pathname];
		if (!operation) return new Response("unknown operation", { status: 404 });
		await operation();
		return new Response("ok");
	},
};
