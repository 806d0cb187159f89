import { createHash } from "node:crypto";
import { PASSWORD } from "../lib/dataset.mjs";

/** The form cookie and its CSRF token, derived as src/web/session.ts does. */
const FORM_SECRET = "benchformsecret0123456789abcdef";
const csrfToken = createHash("sha256").update(`tern-csrf:${FORM_SECRET}`).digest("base64url");

/** The sign-in form's POST: one PBKDF2 password check (src/lib/crypto/password.ts) and a new web session. */
export default {
	name: "sign-in",
	title: "Sign-in (password check)",
	kind: "write",
	hashesPassword: true,
	request: (ctx, i) => {
		const user = ctx.data.locals[i % ctx.data.locals.length];
		return {
			method: "POST",
			path: "/auth/sign_in",
			headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `tern_form=${FORM_SECRET}` },
			body: new URLSearchParams({ email: user.email, password: PASSWORD, authenticity_token: csrfToken }).toString(),
		};
	},
	expect: [200],
};
