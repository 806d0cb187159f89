import type { OAuthApplication } from "../../db/schema";
import { parseScopes } from "../../lib/scopes";
import type { MastodonApplication, MastodonCredentialApplication } from "./entities";

export function serializeApplication(app: OAuthApplication): MastodonApplication {
	return {
		id: app.id,
		name: app.name,
		website: app.website,
		scopes: parseScopes(app.scopes),
		redirect_uri: app.redirectUris.join("\n"),
		redirect_uris: app.redirectUris,
	};
}

/** The registration answer: the only time the client secret is ever shown. */
export function serializeCredentialApplication(
	app: OAuthApplication,
	clientSecret: string,
): MastodonCredentialApplication {
	return {
		...serializeApplication(app),
		client_id: app.clientId,
		client_secret: clientSecret,
		client_secret_expires_at: 0,
	};
}
