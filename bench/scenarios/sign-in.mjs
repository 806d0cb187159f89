import { PASSWORD } from "../lib/dataset.mjs";

/** The password check of the sign-in form (PBKDF2, see src/lib/crypto/password.ts). */
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
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({ "user[email]": user.email, "user[password]": PASSWORD }).toString(),
		};
	},
	expect: [200, 302, 303],
};
