import type { AppContext, AppRequest } from "../../http/context";
import type { Params } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import { addAnnouncement, listAllAnnouncements, removeAnnouncement } from "../../services/instance/announcements";
import { addCustomEmoji, listCustomEmojis, removeCustomEmoji } from "../../services/instance/custom-emojis";
import { addRule, listRules, removeRule } from "../../services/instance/facts";
import {
	forgetCachedSettings,
	type InstanceSettings,
	readInstanceSettings,
	writeInstanceSettings,
} from "../../services/instance/settings";
import { logActionStatement } from "../../services/moderation/audit-log";
import { html } from "../html";
import {
	actionButton,
	type Console,
	consolePage,
	csrfField,
	formatTime,
	openConsole,
	openConsoleForm,
	seeOther,
	userError,
} from "./console";

const PATH = "/admin/settings";
const EMOJI_MAX_BYTES = 256 * 1024;

/** The settings the form edits, and the form field of each. */
const FIELDS = [
	["title", "title"],
	["description", "description"],
	["extendedDescription", "extended_description"],
	["contactEmail", "contact_email"],
	["registrationMode", "registration_mode"],
	["showDomainBlocks", "show_domain_blocks"],
	["showDomainBlocksRationale", "show_domain_blocks_rationale"],
] as const;

function choice(name: string, current: string, options: [string, string][]) {
	return html`<select id="${name}" name="${name}">${options.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ""}>${label}</option>`)}</select>`;
}

async function settingsPage(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const [stored, rules, announcements, emojis] = await Promise.all([
		readInstanceSettings(ctx.db),
		c.can("manageRules") ? listRules(ctx.db) : Promise.resolve([]),
		c.can("manageAnnouncements") ? listAllAnnouncements(ctx.db) : Promise.resolve([]),
		c.can("manageCustomEmojis") ? listCustomEmojis(ctx.db) : Promise.resolve([]),
	]);
	const audience: [string, string][] = [
		["disabled", "Nobody"],
		["users", "Signed-in members"],
		["all", "Everyone"],
	];
	const body = html`<form method="post" action="${PATH}" class="stack">${csrfField(c)}
<label for="title">Server name</label><input id="title" type="text" name="title" maxlength="100" value="${ctx.config.title}">
<label for="description">Short description</label><textarea id="description" name="description" maxlength="500">${ctx.config.description}</textarea>
<label for="extended_description">About page text</label><textarea id="extended_description" name="extended_description" maxlength="20000" rows="8">${stored.extendedDescription ?? ""}</textarea>
<label for="contact_email">Contact email</label><input id="contact_email" type="email" name="contact_email" maxlength="254" value="${ctx.config.contactEmail}">
<label for="registration_mode">Sign-ups</label>${choice("registration_mode", ctx.config.registrationMode, [
		["open", "Open: anyone can sign up"],
		["approval", "Approval: a moderator reviews each sign-up"],
		["closed", "Closed: nobody can sign up"],
	])}
<label for="show_domain_blocks">Show the domain blocks to</label>${choice("show_domain_blocks", stored.showDomainBlocks ?? "disabled", audience)}
<label for="show_domain_blocks_rationale">Show why each domain is blocked to</label>${choice("show_domain_blocks_rationale", stored.showDomainBlocksRationale ?? "disabled", audience)}
<button type="submit">Save settings</button></form>
${
	c.can("manageRules")
		? html`<h2>Rules</h2>
${rules.length === 0 ? html`<p>No rules yet.</p>` : html`<ol class="rules">${rules.map((r) => html`<li>${r.text}${r.hint ? html`<br><small>${r.hint}</small>` : ""} ${actionButton(c, `${PATH}/rules/${r.id}/delete`, "Remove", {}, "secondary")}</li>`)}</ol>`}
<form method="post" action="${PATH}/rules" class="stack">${csrfField(c)}
<label for="rule-text">New rule</label><input id="rule-text" type="text" name="text" required maxlength="300">
<label for="rule-hint">Explanation (optional)</label><input id="rule-hint" type="text" name="hint" maxlength="1000">
<button type="submit" class="secondary">Add rule</button></form>`
		: ""
}
${
	c.can("manageAnnouncements")
		? html`<h2>Announcements</h2>
${announcements.length === 0 ? html`<p>No announcements.</p>` : html`<ul>${announcements.map((a) => html`<li>${a.text} <small>${a.startsAt ? `${formatTime(a.startsAt)} – ${formatTime(a.endsAt)}` : `published ${formatTime(a.publishedAt)}`}</small> ${actionButton(c, `${PATH}/announcements/${a.id}/delete`, "Remove", {}, "secondary")}</li>`)}</ul>`}
<form method="post" action="${PATH}/announcements" class="stack">${csrfField(c)}
<label for="announcement">New announcement (shown to every signed-in member)</label><textarea id="announcement" name="text" required maxlength="5000"></textarea>
<label for="starts_at">From (optional, UTC)</label><input id="starts_at" type="datetime-local" name="starts_at">
<label for="ends_at">Until (optional, UTC)</label><input id="ends_at" type="datetime-local" name="ends_at">
<button type="submit" class="secondary">Publish</button></form>`
		: ""
}
${
	c.can("manageCustomEmojis")
		? html`<h2>Custom emojis</h2>
${emojis.length === 0 ? html`<p>No custom emojis.</p>` : html`<ul class="emojis">${emojis.map((e) => html`<li><img src="/media/${e.fileKey}" alt="" width="24" height="24"> :${e.shortcode}: ${actionButton(c, `${PATH}/emojis/${e.id}/delete`, "Remove", {}, "secondary")}</li>`)}</ul>`}
<form method="post" action="${PATH}/emojis" enctype="multipart/form-data" class="stack">${csrfField(c)}
<label for="shortcode">Shortcode</label><input id="shortcode" type="text" name="shortcode" required pattern="[A-Za-z0-9_]{2,64}">
<label for="emoji-file">Image (PNG, GIF or WebP, at most 256 KiB)</label><input id="emoji-file" type="file" name="file" accept="image/png,image/gif,image/webp" required>
<label for="category">Category (optional)</label><input id="category" type="text" name="category" maxlength="64">
<button type="submit" class="secondary">Add emoji</button></form>`
		: ""
}`;
	return consolePage(request, ctx, c, "Settings", body);
}

function utcDate(value: string | undefined): Date | null {
	if (!value) return null;
	const date = new Date(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
	return Number.isNaN(date.getTime()) ? null : date;
}

type Handler = (request: AppRequest, ctx: AppContext, c: Console, params: Params) => Promise<Response>;

function post(
	router: AppRouter,
	path: string,
	permission: Parameters<Console["can"]>[0],
	handler: Handler,
	maxBytes?: number,
): void {
	router.post(path, async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, permission, { maxBytes });
		if (opened instanceof Response) return opened;
		try {
			return await handler(request, ctx, opened.console, opened.params);
		} catch (error) {
			const message = userError(error);
			if (message) return seeOther(PATH, message);
			throw error;
		}
	});
}

export function settingsPageRoutes(router: AppRouter): void {
	router.get(PATH, async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageSettings");
		if (c instanceof Response) return c;
		return settingsPage(request, ctx, c);
	});

	post(router, PATH, "manageSettings", async (_request, ctx, c, params) => {
		const before = await readInstanceSettings(ctx.db);
		const patch: InstanceSettings = {};
		for (const [key, field] of FIELDS) {
			const value = params.string(field, { maxLength: 20_000 });
			if (value !== undefined) patch[key] = value.trim();
		}
		// An emptied title or mode would fall back to the deploy's var, which is what "" means here.
		await writeInstanceSettings(ctx.db, patch);
		forgetCachedSettings(ctx.env);
		const changed = Object.keys(patch).filter(
			(key) => (before as Record<string, string>)[key] !== patch[key as keyof InstanceSettings],
		);
		await logActionStatement(ctx.db, c.moderator, {
			action: "update",
			targetType: "Setting",
			targetId: null,
			humanIdentifier: "instance settings",
			note: changed.length > 0 ? `changed ${changed.join(", ")}` : "saved unchanged",
		});
		return seeOther(PATH, "Settings saved.");
	});

	post(router, `${PATH}/rules`, "manageRules", async (_request, ctx, c, params) => {
		const rule = await addRule(
			ctx.db,
			params.string("text", { maxLength: 1000 }) ?? "",
			params.string("hint", { maxLength: 1000 }) ?? "",
		);
		await logActionStatement(ctx.db, c.moderator, {
			action: "create",
			targetType: "Rule",
			targetId: rule.id,
			humanIdentifier: rule.text,
		});
		return seeOther(PATH, "Rule added.");
	});

	post(router, `${PATH}/rules/:id/delete`, "manageRules", async (request, ctx, c) => {
		const id = request.params.id ?? "";
		const rule = isId(id) ? await removeRule(ctx.db, id) : undefined;
		if (!rule) return seeOther(PATH, "That rule is gone.");
		await logActionStatement(ctx.db, c.moderator, {
			action: "destroy",
			targetType: "Rule",
			targetId: rule.id,
			humanIdentifier: rule.text,
		});
		return seeOther(PATH, "Rule removed.");
	});

	post(router, `${PATH}/announcements`, "manageAnnouncements", async (_request, ctx, c, params) => {
		const startsAt = params.string("starts_at");
		const endsAt = params.string("ends_at");
		const announcement = await addAnnouncement(ctx.db, {
			text: params.string("text", { maxLength: 5000 }) ?? "",
			startsAt: utcDate(startsAt),
			endsAt: utcDate(endsAt),
		});
		await logActionStatement(ctx.db, c.moderator, {
			action: "create",
			targetType: "Announcement",
			targetId: announcement.id,
			humanIdentifier: announcement.text.slice(0, 80),
		});
		return seeOther(PATH, "Announcement published.");
	});

	post(router, `${PATH}/announcements/:id/delete`, "manageAnnouncements", async (request, ctx, c) => {
		const id = request.params.id ?? "";
		if (!isId(id) || !(await removeAnnouncement(ctx.db, id))) return seeOther(PATH, "That announcement is gone.");
		await logActionStatement(ctx.db, c.moderator, {
			action: "destroy",
			targetType: "Announcement",
			targetId: id,
			humanIdentifier: `#${id}`,
		});
		return seeOther(PATH, "Announcement removed.");
	});

	post(
		router,
		`${PATH}/emojis`,
		"manageCustomEmojis",
		async (_request, ctx, c, params) => {
			const file = params.file("file");
			if (!file) return seeOther(PATH, "Choose an image for the emoji.");
			const category = params.string("category", { maxLength: 64 })?.trim();
			const emoji = await addCustomEmoji(
				ctx.db,
				ctx.env.MEDIA,
				params.string("shortcode", { maxLength: 64 }) ?? "",
				new Uint8Array(await file.arrayBuffer()),
				category || null,
			);
			await logActionStatement(ctx.db, c.moderator, {
				action: "create",
				targetType: "CustomEmoji",
				targetId: emoji.id,
				humanIdentifier: `:${emoji.shortcode}:`,
			});
			return seeOther(PATH, `Added :${emoji.shortcode}:.`);
		},
		EMOJI_MAX_BYTES + 64 * 1024,
	);

	post(router, `${PATH}/emojis/:id/delete`, "manageCustomEmojis", async (request, ctx, c) => {
		const id = request.params.id ?? "";
		const emoji = isId(id) ? await removeCustomEmoji(ctx.db, ctx.env.MEDIA, id) : undefined;
		if (!emoji) return seeOther(PATH, "That emoji is gone.");
		await logActionStatement(ctx.db, c.moderator, {
			action: "destroy",
			targetType: "CustomEmoji",
			targetId: emoji.id,
			humanIdentifier: `:${emoji.shortcode}:`,
		});
		return seeOther(PATH, `Removed :${emoji.shortcode}:.`);
	});
}
