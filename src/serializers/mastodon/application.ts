import type { OAuthApplication } from "../../db/schema";
import { parseScopes } from "../../lib/scopes";
import type { MastodonApplication, MastodonCredentialApplication } from "./entities";

export function serializeApplication(app: OAuthApplication, vapidKey: string): MastodonApplication {
	return {
		id: app.id,
		name: app.name,
		website: app.website,
		scopes: parseScopes(app.scopes),
		redirect_uri: app.redirectUris.join("\n"),
		redirect_uris: app.redirectUris,
		vapid_key: vapidKey,
	};
}

/** The registration answer: the only time the client secret is ever shown. */
export function serializeCredentialApplication(
	app: OAuthApplication,
	clientSecret: string,
	vapidKey: string,
): MastodonCredentialApplication {
	return {
		...serializeApplication(app, vapidKey),
		client_id: app.clientId,
		client_secret: clientSecret,
		client_secret_expires_at: 0,
	};
}
