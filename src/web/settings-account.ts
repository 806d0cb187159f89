import type { Account } from "../db/schema";
import { resolveAccountByAcct, resolveActorByUri } from "../federation/actors";
import type { AppContext, AppRequest } from "../http/context";
import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { NotPermittedError, ValidationError } from "../lib/errors";
import { addAlias, removeAlias } from "../services/accounts/aliases";
import { deleteOwnAccount } from "../services/accounts/deletion";
import { moveAccount } from "../services/accounts/moving";
import { findAccount } from "../services/accounts/queries";
import { hidden, html } from "./html";
import { continuePasswordStep, type PasswordStepHandlers, startPasswordStep } from "./password-steps";
import { clearedSessionCookie } from "./session";
import {
	type SettingsRequest,
	seeOther,
	settingsNav,
	settingsPage,
	settingsSession,
	tokenValid,
} from "./settings-common";

/**
 * The account pages Mastodon has and its client API does not: aliases (the
 * other names of this account, which let an old account move here), moving
 * this account elsewhere, and deleting it.
 */

/** `user@domain` to an account, asking its server fresh: a just-added alias must be seen. */
async function resolveFresh(ctx: AppContext, acct: string): Promise<Account | null> {
	const found = await resolveAccountByAcct(ctx, acct.trim().replace(/^@/, ""));
	if (!found || found.domain === null) return found;
	try {
		return await resolveActorByUri(ctx, found.uri, { refresh: true });
	} catch {
		return found;
	}
}

async function withSettings(
	request: AppRequest,
	ctx: AppContext,
	handler: (settings: SettingsRequest) => Promise<Response>,
): Promise<Response> {
	const settings = await settingsSession(request, ctx);
	if (settings instanceof Response) return settings;
	return handler(settings);
}

function aliasesPage(
	ctx: AppContext,
	settings: SettingsRequest,
	message?: { error?: string; notice?: string },
	status = 200,
) {
	const account = settings.session.account;
	const body = html`${settingsNav("/settings/aliases")}
<h1>Account aliases</h1>
<p>To move from another account to this one, first list the other account here. Its server checks this list before it lets the move happen.</p>
${message?.error ? html`<p class="error" role="alert">${message.error}</p>` : ""}
${message?.notice ? html`<p class="notice" role="status">${message.notice}</p>` : ""}
<form method="post" action="/settings/aliases">${hidden({ authenticity_token: settings.csrf })}
<label for="alias-acct">Handle of the old account</label><input id="alias-acct" type="text" name="acct" placeholder="username@old.example" required>
<button type="submit">Add alias</button></form>
<h2>Aliases</h2>
${
	account.alsoKnownAs.length === 0
		? html`<p class="notice">None yet.</p>`
		: html`<ul id="aliases">${account.alsoKnownAs.map(
				(uri) =>
					html`<li><code>${uri}</code> <form method="post" action="/settings/aliases/remove" class="inline">${hidden({ authenticity_token: settings.csrf, uri })}<button type="submit" class="secondary">Remove</button></form></li>`,
			)}</ul>`
}`;
	return settingsPage(ctx, "Account aliases", body, { status });
}

/** What moving or deleting does once the member's password is checked. */
type EndAction = { kind: "move"; acct: string } | { kind: "delete" };

const CHECK_PATHS = { move: "/settings/migration/check", delete: "/settings/delete/check" } as const;

function checkHandlers(
	ctx: AppContext,
	settings: SettingsRequest,
	kind: EndAction["kind"],
): PasswordStepHandlers<EndAction> {
	return {
		refused: (status, error) =>
			kind === "move" ? migrationPage(ctx, settings, null, error, status) : deletePage(ctx, settings, error, status),
		async done(action) {
			if (action.kind === "delete") {
				await deleteOwnAccount(ctx, settings.session);
				const response = settingsPage(
					ctx,
					"Account deleted",
					html`<h1>Account deleted</h1><p>Your account is deleted. Its posts and files are being removed, and the servers that knew it are being told.</p>`,
				);
				response.headers.set("Set-Cookie", clearedSessionCookie(ctx));
				return response;
			}
			const target = await resolveFresh(ctx, action.acct);
			if (!target) return migrationPage(ctx, settings, null, `No account ${action.acct} could be found`, 422);
			try {
				await moveAccount(ctx, settings.session.account, target);
			} catch (error) {
				if (error instanceof ValidationError || error instanceof NotPermittedError) {
					return migrationPage(ctx, settings, null, error.message, 422);
				}
				throw error;
			}
			return seeOther("/settings/migration");
		},
	};
}

/** Checks the password over a few requests (docs/performance.md, "Sign-in"), then moves or deletes. */
function checkThen(ctx: AppContext, settings: SettingsRequest, password: string, action: EndAction) {
	const { user, secret } = settings.session;
	return startPasswordStep(
		ctx,
		{ boundTo: secret, check: { user, password }, action },
		CHECK_PATHS[action.kind],
		checkHandlers(ctx, settings, action.kind),
	);
}

function migrationPage(
	ctx: AppContext,
	settings: SettingsRequest,
	moved: Account | null,
	error?: string,
	status = 200,
) {
	const account = settings.session.account;
	const body = html`${settingsNav("/settings/migration")}
<h1>Move to another account</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
${
	moved
		? html`<p id="moved-notice" role="status">This account has moved to <a href="${moved.url ?? moved.uri}">${moved.username}@${moved.domain ?? ctx.config.domain}</a>. Its followers are being moved there; it can no longer post.</p>`
		: html`<p>Your followers here and on other servers will follow the new account instead, and this account will stop posting. First list this account (<code>${account.uri}</code>) as an alias of the new one, on its server.</p>
<form method="post" action="/settings/migration">${hidden({ authenticity_token: settings.csrf })}
<label for="target-acct">Handle of the new account</label><input id="target-acct" type="text" name="acct" placeholder="username@new.example" required>
<label for="move-password">Your password</label><input id="move-password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Move followers</button></form>`
}`;
	return settingsPage(ctx, "Move to another account", body, { status });
}

function deletePage(ctx: AppContext, settings: SettingsRequest, error?: string, status = 200) {
	const body = html`${settingsNav("/settings/delete")}
<h1>Delete account</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<p>This deletes your posts, media and everything else, and tells every server that knew this account. It cannot be undone, and the name <strong>@${settings.session.account.username}</strong> cannot be used again.</p>
<p>Before you go, <a href="/settings/data">download your archive and your lists</a>: you can bring your posts and follows to another server.</p>
<form method="post" action="/settings/delete">${hidden({ authenticity_token: settings.csrf })}
<label for="delete-password">Your password</label><input id="delete-password" type="password" name="password" autocomplete="current-password" required>
<button type="submit" id="delete-account">Delete my account</button></form>`;
	return settingsPage(ctx, "Delete account", body, { status });
}

export function settingsAccountRoutes(router: AppRouter): void {
	router.get("/settings/aliases", (request, ctx) => withSettings(request, ctx, async (s) => aliasesPage(ctx, s)));

	router.post("/settings/aliases", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request);
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return aliasesPage(ctx, settings, { error: "The form expired; try again." }, 403);
			}
			const acct = params.string("acct", { maxLength: 320 }) ?? "";
			const alias = await resolveFresh(ctx, acct);
			if (!alias) return aliasesPage(ctx, settings, { error: `No account ${acct} could be found` }, 422);
			try {
				settings.session.account = await addAlias(ctx.db, settings.session.account, alias);
			} catch (error) {
				if (error instanceof ValidationError) return aliasesPage(ctx, settings, { error: error.message }, 422);
				throw error;
			}
			return aliasesPage(ctx, settings, { notice: `Added ${alias.uri}` });
		}),
	);

	router.post("/settings/aliases/remove", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request);
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return aliasesPage(ctx, settings, { error: "The form expired; try again." }, 403);
			}
			await removeAlias(ctx.db, settings.session.account, params.string("uri") ?? "");
			return seeOther("/settings/aliases");
		}),
	);

	router.get("/settings/migration", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const movedId = settings.session.account.movedToAccountId;
			const moved = movedId ? ((await findAccount(ctx.db, movedId)) ?? null) : null;
			return migrationPage(ctx, settings, moved);
		}),
	);

	router.post("/settings/migration", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request);
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return migrationPage(ctx, settings, null, "The form expired; try again.", 403);
			}
			const acct = params.string("acct", { maxLength: 320 }) ?? "";
			return checkThen(ctx, settings, params.string("password", { maxLength: 256 }) ?? "", { kind: "move", acct });
		}),
	);

	for (const kind of ["move", "delete"] as const) {
		router.get(CHECK_PATHS[kind], (request, ctx) =>
			withSettings(request, ctx, (settings) =>
				continuePasswordStep(
					request,
					ctx,
					settings.session.secret,
					CHECK_PATHS[kind],
					checkHandlers(ctx, settings, kind),
				),
			),
		);
	}

	router.get("/settings/delete", (request, ctx) => withSettings(request, ctx, async (s) => deletePage(ctx, s)));

	router.post("/settings/delete", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request);
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return deletePage(ctx, settings, "The form expired; try again.", 403);
			}
			return checkThen(ctx, settings, params.string("password", { maxLength: 256 }) ?? "", { kind: "delete" });
		}),
	);
}
