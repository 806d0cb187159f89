import { json, send } from "../lib/http.mjs";

/** Token exchange at POST /oauth/token (client_credentials: needs no browser sign-in step). */
export default {
	name: "oauth-token",
	title: "POST /oauth/token",
	kind: "write",
	async prepare(ctx) {
		const response = await send(ctx.worker.origin, {
			method: "POST",
			path: "/api/v1/apps",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ client_name: "Bench", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" }),
		});
		const app = json(response);
		if (response.status !== 200 || !app?.client_id) return `POST /api/v1/apps answered ${response.status}`;
		ctx.oauthApp = app;
		return null;
	},
	request: (ctx) => ({
		method: "POST",
		path: "/oauth/token",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams({
			grant_type: "client_credentials",
			client_id: ctx.oauthApp.client_id,
			client_secret: ctx.oauthApp.client_secret,
			scope: "read",
		}).toString(),
	}),
	expect: [200],
};
