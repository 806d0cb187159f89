import { requireUser } from "../../http/auth";
import { BODY_LIMITS } from "../../http/body";
import type { AppContext, AppRequest } from "../../http/context";
import { type Params, readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeCredentialAccount } from "../../serializers/mastodon/account";
import { countFollowRequests } from "../../services/accounts/follow-requests";
import { type ProfileUpdate, updateProfile } from "../../services/accounts/profile";

function fieldsFrom(params: Params): ProfileUpdate["fields"] {
	if (!params.has("fields_attributes")) return undefined;
	// Indexed (`fields_attributes[0][name]`) and array (`fields_attributes[][name]`) forms both arrive as a list.
	return (params.objectList("fields_attributes") ?? []).map((field) => ({
		name: field.string("name") ?? "",
		value: field.string("value") ?? "",
	}));
}

export function credentialRoutes(router: AppRouter): void {
	const update = async (request: AppRequest, ctx: AppContext) => {
		const auth = await requireUser(request, ctx, "write:accounts");
		const params = await readParams(request, { maxBytes: BODY_LIMITS.multipart });
		const source = params.object("source");
		const changes: ProfileUpdate = {
			displayName: params.string("display_name"),
			note: params.string("note"),
			locked: params.boolean("locked"),
			bot: params.boolean("bot"),
			discoverable: params.boolean("discoverable"),
			indexable: params.boolean("indexable"),
			hideCollections: params.boolean("hide_collections"),
			fields: fieldsFrom(params),
			avatar: params.file("avatar"),
			header: params.file("header"),
			avatarDescription: params.string("avatar_description"),
			headerDescription: params.string("header_description"),
			privacy: source?.string("privacy"),
			sensitive: source?.boolean("sensitive"),
			language: source?.has("language") ? (source.string("language") ?? null) : undefined,
		};
		const { account, user } = await updateProfile(ctx.db, ctx.env.MEDIA, ctx.config, auth, changes);
		const followRequestsCount = await countFollowRequests(ctx.db, account.id);
		return json(serializeCredentialAccount(account, user, ctx.config, { followRequestsCount }));
	};
	router.patch("/api/v1/accounts/update_credentials", update);
	// Rails routes PUT to the same action, and some clients send it.
	router.put("/api/v1/accounts/update_credentials", update);
}
