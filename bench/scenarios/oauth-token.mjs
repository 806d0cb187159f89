/** The code exchange at POST /oauth/token, with authorization codes seeded for the bench app (each works once). */
export default {
	name: "oauth-token",
	title: "POST /oauth/token (authorization_code)",
	kind: "write",
	prepare: (ctx) => (ctx.data.oauth ? null : "no oauth_authorization_codes table"),
	request: (ctx) => {
		const { oauth } = ctx.data;
		// Each code works once, so every request (the probe included) takes the next one.
		ctx.oauthCodeIndex = (ctx.oauthCodeIndex ?? -1) + 1;
		return {
			method: "POST",
			path: "/oauth/token",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({
				grant_type: "authorization_code",
				code: oauth.codes[ctx.oauthCodeIndex % oauth.codes.length],
				client_id: oauth.clientId,
				client_secret: oauth.clientSecret,
				redirect_uri: oauth.redirectUri,
			}).toString(),
		};
	},
	expect: [200],
};
