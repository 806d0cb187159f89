import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import { findAccount } from "../../services/accounts/queries";
import { approveSignUp, rejectSignUp } from "../../services/moderation/account-actions";
import {
	createEmailDomainBlock,
	EmailDomainBlockExists,
	findEmailDomainBlock,
	listEmailDomainBlocks,
	removeEmailDomainBlock,
} from "../../services/moderation/email-domain-blocks";
import { pendingSignUps } from "../../services/moderation/sign-ups";
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

const PATH = "/admin/sign_ups";

async function queuePage(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const blocksAllowed = c.can("manageBlocks");
	const [pending, emailBlocks] = await Promise.all([
		pendingSignUps(ctx.db),
		blocksAllowed ? listEmailDomainBlocks(ctx.db) : Promise.resolve([]),
	]);
	const body = html`<p>Registration mode: <strong>${ctx.config.registrationMode}</strong>${c.can("manageSettings") ? html` (<a href="/admin/settings">change</a>)` : ""}.</p>
${
	pending.length === 0
		? html`<p>Nobody is waiting for approval.</p>`
		: html`<ul class="queue">${pending.map(
				({ account, user }) =>
					html`<li><p><a href="/admin/accounts/${account.id}">@${account.username}</a> · ${user.email} · ${formatTime(user.createdAt)}</p>
<blockquote>${user.signUpReason || "(no reason given)"}</blockquote>
<div class="actions">${actionButton(c, `${PATH}/${account.id}/approve`, "Approve")}
<form method="post" action="${PATH}/${account.id}/reject" class="inline-form">${csrfField(c)}
<label for="notice-${account.id}">Notice for them (shown when they sign in)</label><input id="notice-${account.id}" type="text" name="text" maxlength="5000">
<button type="submit" class="danger">Reject</button></form></div></li>`,
			)}</ul>`
}
${
	blocksAllowed
		? html`<h2>Email domain blocks</h2>
<form method="post" action="${PATH}/email_domain_blocks" class="inline-form">${csrfField(c)}
<label for="email-domain">Email domain</label><input id="email-domain" type="text" name="domain" required maxlength="253" placeholder="spam.example">
<label class="check"><input type="checkbox" name="allow_with_approval" value="1"> Allow with approval instead</label>
<button type="submit" class="secondary">Block</button></form>
${
	emailBlocks.length === 0
		? html`<p>No email domain is blocked.</p>`
		: html`<ul>${emailBlocks.map((b) => html`<li>${b.domain}${b.allowWithApproval ? " (needs approval)" : ""} ${actionButton(c, `${PATH}/email_domain_blocks/${b.id}/delete`, "Remove", {}, "secondary")}</li>`)}</ul>`
}`
		: ""
}`;
	return consolePage(request, ctx, c, "Sign-ups", body);
}

export function signUpPageRoutes(router: AppRouter): void {
	router.get(PATH, async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageUsers");
		if (c instanceof Response) return c;
		return queuePage(request, ctx, c);
	});

	router.post(`${PATH}/email_domain_blocks`, async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageBlocks");
		if (opened instanceof Response) return opened;
		try {
			const block = await createEmailDomainBlock(ctx.db, opened.console.moderator, {
				domain: opened.params.string("domain", { maxLength: 300 }) ?? "",
				allowWithApproval: opened.params.boolean("allow_with_approval") === true,
			});
			return seeOther(
				PATH,
				`Sign-ups from ${block.domain} ${block.allowWithApproval ? "now need approval" : "are refused"}.`,
			);
		} catch (error) {
			if (error instanceof EmailDomainBlockExists) return seeOther(PATH, error.message);
			const message = userError(error);
			if (message) return seeOther(PATH, message);
			throw error;
		}
	});

	router.post(`${PATH}/email_domain_blocks/:id/delete`, async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageBlocks");
		if (opened instanceof Response) return opened;
		const id = request.params.id ?? "";
		const block = isId(id) ? await findEmailDomainBlock(ctx.db, id) : undefined;
		if (!block) return seeOther(PATH, "That email domain block is gone.");
		await removeEmailDomainBlock(ctx.db, opened.console.moderator, block);
		return seeOther(PATH, `Removed the block on ${block.domain}.`);
	});

	for (const decision of ["approve", "reject"] as const) {
		router.post(`${PATH}/:id/${decision}`, async (request, ctx) => {
			const opened = await openConsoleForm(request, ctx, "manageUsers");
			if (opened instanceof Response) return opened;
			const account = await findAccount(ctx.db, request.params.id ?? "");
			if (!account) return seeOther(PATH, "That account is gone.");
			try {
				if (decision === "approve") await approveSignUp(ctx, opened.console.moderator, account);
				else await rejectSignUp(ctx, opened.console.moderator, account, opened.params.string("text") ?? "");
			} catch (error) {
				const message = userError(error);
				if (message) return seeOther(PATH, message);
				throw error;
			}
			return seeOther(PATH, `@${account.username} ${decision === "approve" ? "approved" : "rejected"}.`);
		});
	}
}
