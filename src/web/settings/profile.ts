import { BODY_LIMITS } from "../../http/body";
import type { AppContext, AppRequest } from "../../http/context";
import { type Params, readParams } from "../../http/params";
import { ValidationError } from "../../lib/errors";
import { ACCOUNT_LIMITS } from "../../lib/limits";
import { queueLinkCheckAfterEdit } from "../../services/accounts/link-verification";
import { type ProfileUpdate, updateProfile } from "../../services/accounts/profile";
import { hidden, html } from "../html";
import { formFromMember, type Member, type Outcome, REFUSED, settingsPage } from "./frame";

const checked = (on: boolean) => (on ? html` checked` : "");

function check(name: string, label: string, on: boolean, hint?: string) {
	return html`<label class="check"><input type="checkbox" name="${name}" value="1"${checked(on)}>${label}</label>${
		hint ? html`<p class="notice">${hint}</p>` : ""
	}`;
}

export function profileForm(ctx: AppContext, member: Member, outcome: Outcome = {}): Response {
	const { account } = member;
	const fields = [...account.fields];
	while (fields.length < ACCOUNT_LIMITS.maxProfileFields) fields.push({ name: "", value: "", verifiedAt: null });
	return settingsPage(
		ctx,
		member,
		"profile",
		html`<p class="notice">What everyone sees on <a href="/@${account.username}">your profile</a>; apps show the same.</p>
<form method="post" action="/settings/profile" enctype="multipart/form-data">
${hidden({ authenticity_token: member.csrf })}
<label for="display_name">Display name</label><input id="display_name" type="text" name="display_name" maxlength="${ACCOUNT_LIMITS.maxDisplayNameLength}" value="${account.displayName}">
<label for="note">Bio</label><textarea id="note" name="note" rows="4" maxlength="${ACCOUNT_LIMITS.maxNoteLength}">${account.note}</textarea>
<label for="avatar">Avatar (PNG, GIF, JPEG or WebP)</label><input id="avatar" type="file" name="avatar" accept="image/png,image/gif,image/jpeg,image/webp">
<label for="avatar_description">Avatar description</label><input id="avatar_description" type="text" name="avatar_description" value="${account.avatarDescription}">
<label for="header">Header image</label><input id="header" type="file" name="header" accept="image/png,image/gif,image/jpeg,image/webp">
<label for="header_description">Header description</label><input id="header_description" type="text" name="header_description" value="${account.headerDescription}">
<fieldset><legend>Profile fields</legend>${fields.map(
			(
				field,
				i,
			) => html`<label for="field-${i}-name">Label ${i + 1}</label><input id="field-${i}-name" type="text" name="fields_attributes[${i}][name]" value="${field.name}">
<label for="field-${i}-value">Content ${i + 1}</label><input id="field-${i}-value" type="text" name="fields_attributes[${i}][value]" value="${field.value}">`,
		)}</fieldset>
${check("locked", "Approve followers by hand", account.locked)}
${check("bot", "This is an automated account", account.bot)}
${check("hide_collections", "Hide whom I follow and who follows me", account.hideCollections)}
<button type="submit">Save profile</button>
</form>`,
		outcome,
	);
}

export function preferencesForm(ctx: AppContext, member: Member, outcome: Outcome = {}): Response {
	const { account, user } = member;
	const option = (value: string, label: string) =>
		html`<option value="${value}"${user.defaultPrivacy === value ? html` selected` : ""}>${label}</option>`;
	return settingsPage(
		ctx,
		member,
		"preferences",
		html`<form method="post" action="/settings/preferences">
${hidden({ authenticity_token: member.csrf })}
<label for="privacy">Who can see my posts by default</label>
<select id="privacy" name="privacy">${option("public", "Everyone")}${option("unlisted", "Everyone, but not in public timelines")}${option("private", "Followers only")}${option("direct", "Mentioned people only")}</select>
<label for="language">Language of my posts (ISO 639 code, e.g. en)</label><input id="language" type="text" name="language" maxlength="3" value="${user.defaultLanguage ?? ""}">
${check("sensitive", "Mark my media as sensitive by default", user.defaultSensitive)}
<h2>Discovery and search</h2>
${check("discoverable", "Suggest my account to others and list it in the directory", account.discoverable)}
${check("indexable", "Let people on this and other servers find my public posts by search", account.indexable)}
${check("noindex", "Ask search engines not to index my profile and posts", account.noindex, "Listed in robots.txt and marked on every page; well-behaved search engines honour it.")}
<button type="submit">Save preferences</button>
</form>`,
		outcome,
	);
}

function fieldsFrom(params: Params): ProfileUpdate["fields"] {
	return (params.objectList("fields_attributes") ?? []).map((field) => ({
		name: field.string("name", { maxLength: 1000 }) ?? "",
		value: field.string("value", { maxLength: 5000 }) ?? "",
	}));
}

const on = (params: Params, name: string) => params.string(name) === "1";

async function save(ctx: AppContext, member: Member, changes: ProfileUpdate): Promise<Member | string> {
	try {
		const updated = await updateProfile(ctx.db, ctx.env.MEDIA, ctx.config, member, changes);
		await queueLinkCheckAfterEdit(ctx.env, member.account, updated.account);
		return { ...member, ...updated };
	} catch (error) {
		if (error instanceof ValidationError) return error.message;
		throw error;
	}
}

export async function saveProfile(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request, { maxBytes: BODY_LIMITS.multipart });
	if (!(await formFromMember(member, params.string("authenticity_token")))) return profileForm(ctx, member, REFUSED);
	const file = (name: string) => {
		const value = params.file(name);
		return value && value.size > 0 ? value : undefined;
	};
	const result = await save(ctx, member, {
		displayName: params.string("display_name", { maxLength: 1000 }) ?? "",
		note: params.string("note", { maxLength: 10_000 }) ?? "",
		avatar: file("avatar"),
		header: file("header"),
		avatarDescription: params.string("avatar_description", { maxLength: 5000 }) ?? "",
		headerDescription: params.string("header_description", { maxLength: 5000 }) ?? "",
		fields: fieldsFrom(params),
		locked: on(params, "locked"),
		bot: on(params, "bot"),
		hideCollections: on(params, "hide_collections"),
	});
	if (typeof result === "string") return profileForm(ctx, member, { status: 422, error: result });
	return profileForm(ctx, result, { notice: "Profile saved." });
}

export async function savePreferences(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token"))))
		return preferencesForm(ctx, member, REFUSED);
	const result = await save(ctx, member, {
		privacy: params.string("privacy", { maxLength: 20 }),
		language: (params.string("language", { maxLength: 10 }) ?? "").trim().toLowerCase() || null,
		sensitive: on(params, "sensitive"),
		discoverable: on(params, "discoverable"),
		indexable: on(params, "indexable"),
		noindex: on(params, "noindex"),
	});
	if (typeof result === "string") return preferencesForm(ctx, member, { status: 422, error: result });
	return preferencesForm(ctx, result, { notice: "Preferences saved." });
}
