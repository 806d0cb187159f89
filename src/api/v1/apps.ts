import { authenticate } from "../../http/auth";
import { notFound, unauthorized } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeApplication, serializeCredentialApplication } from "../../serializers/mastodon/application";
import { findApplicationById, registerApplication, splitRedirectUris } from "../../services/auth/oauth";
import { vapidPublicKey } from "../../services/push/vapid-key";

export function appRoutes(router: AppRouter): void {
	router.post("/api/v1/apps", async (request, ctx) => {
		const params = await readParams(request);
		const rawUris = params.raw("redirect_uris");
		const redirectUris = Array.isArray(rawUris)
			? splitRedirectUris(params.stringArray("redirect_uris") ?? [])
			: splitRedirectUris(params.string("redirect_uris", { maxLength: 4000 }) ?? "");
		const { app, clientSecret } = await registerApplication(ctx.db, {
			name: params.string("client_name", { maxLength: 200 }) ?? "",
			redirectUris,
			scopes: params.string("scopes", { maxLength: 2000 }),
			website: params.string("website", { maxLength: 2000 }),
		});
		const vapidKey = await vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET);
		return json(serializeCredentialApplication(app, clientSecret, vapidKey));
	});

	router.get("/api/v1/apps/verify_credentials", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (!auth) throw unauthorized();
		const app = auth.applicationId ? await findApplicationById(ctx.db, auth.applicationId) : undefined;
		if (!app) throw notFound("This token was not issued to an application");
		return json(serializeApplication(app, await vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET)));
	});
}
