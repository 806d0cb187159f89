import { renderSVG } from "uqr";
import type { AppContext, AppRequest } from "../../http/context";
import { readParams } from "../../http/params";
import { ValidationError } from "../../lib/errors";
import {
	beginTwoFactorSetup,
	checkSecondFactor,
	confirmTwoFactor,
	disableTwoFactor,
	mustSetUpTwoFactor,
	pendingTwoFactorSetup,
	replaceRecoveryCodes,
	type TwoFactorSetup,
	unusedRecoveryCodeCount,
} from "../../services/auth/two-factor";
import { cachedInstanceSettings } from "../../services/instance/settings";
import { hidden, html, type SafeHtml, trustedHtml } from "../html";
import { continuePasswordStep, type PasswordStepHandlers, startPasswordStep } from "../password-steps";
import { formFromMember, type Member, type Outcome, REFUSED, settingsPage } from "./frame";

function label(ctx: AppContext, member: Member) {
	return { account: `${member.account.username}@${ctx.config.domain}`, issuer: ctx.config.title };
}

function codesList(codes: string[]): SafeHtml {
	return html`<p><strong>Your recovery codes.</strong> Each works once, in place of a code from your app. Keep them somewhere safe: they are shown only now.</p>
<ol class="codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>`;
}

export async function twoFactorPage(
	ctx: AppContext,
	member: Member,
	outcome: Outcome = {},
	shown?: SafeHtml,
	started?: TwoFactorSetup,
): Promise<Response> {
	const { user } = member;
	const required = mustSetUpTwoFactor(user, await cachedInstanceSettings(ctx.env, ctx.db));
	if (user.otpEnabledAt) {
		const left = await unusedRecoveryCodeCount(ctx.db, user.id);
		return settingsPage(
			ctx,
			member,
			"two_factor",
			html`<p class="ok">Two-factor sign-in is on since ${user.otpEnabledAt.toISOString().slice(0, 10)}.</p>
${shown ?? html`<p>${left} recovery codes left.</p>`}
<form method="post" action="/settings/two_factor/recovery_codes">${hidden({ authenticity_token: member.csrf })}
<label for="recovery-password">Current password</label><input id="recovery-password" type="password" name="current_password" autocomplete="current-password" required>
<button type="submit" class="secondary">Make new recovery codes</button></form>
<h2>Turn it off</h2>
<form method="post" action="/settings/two_factor/disable">${hidden({ authenticity_token: member.csrf })}
<label for="off-password">Current password</label><input id="off-password" type="password" name="current_password" autocomplete="current-password" required>
<label for="off-code">Code from your app</label><input id="off-code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit" class="secondary">Turn off two-factor sign-in</button></form>`,
			outcome,
		);
	}
	const setup = started ?? (await pendingTwoFactorSetup(ctx.env.KEY_ENCRYPTION_SECRET, user, label(ctx, member)));
	const intro = html`${required ? html`<p class="error">This server requires staff to use two-factor sign-in. Turn it on to continue.</p>` : ""}
<p>With two-factor sign-in, signing in needs a code from an authenticator app on your phone as well as your password.</p>`;
	if (!setup) {
		return settingsPage(
			ctx,
			member,
			"two_factor",
			html`${intro}<form method="post" action="/settings/two_factor/begin">${hidden({ authenticity_token: member.csrf })}<button type="submit">Set up two-factor sign-in</button></form>`,
			outcome,
		);
	}
	return settingsPage(
		ctx,
		member,
		"two_factor",
		html`${intro}
<p>1. Scan this code with your authenticator app, or type the key below into it.</p>
<div class="qr">${trustedHtml(renderSVG(setup.uri, { border: 1 }))}</div>
<p>Key: <code id="totp-secret">${setup.secret}</code></p>
<form method="post" action="/settings/two_factor/confirm">${hidden({ authenticity_token: member.csrf })}
<label for="confirm-code">2. Enter the code the app shows</label><input id="confirm-code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit">Turn on</button></form>`,
		outcome,
	);
}

export async function beginForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return twoFactorPage(ctx, member, REFUSED);
	if (member.user.otpEnabledAt) return twoFactorPage(ctx, member);
	const setup = await beginTwoFactorSetup(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, member.user, label(ctx, member));
	return twoFactorPage(ctx, member, {}, undefined, setup);
}

export async function confirmForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return twoFactorPage(ctx, member, REFUSED);
	try {
		const codes = await confirmTwoFactor(
			ctx.db,
			ctx.env.KEY_ENCRYPTION_SECRET,
			member.user,
			params.string("code", { maxLength: 20 }) ?? "",
		);
		const enabled = { ...member, user: { ...member.user, otpEnabledAt: new Date() } };
		return twoFactorPage(ctx, enabled, { notice: "Two-factor sign-in is on." }, codesList(codes));
	} catch (error) {
		if (error instanceof ValidationError) return twoFactorPage(ctx, member, { status: 422, error: error.message });
		throw error;
	}
}

/** What the two-factor page does once the member's password is checked. */
type TwoFactorAction = { kind: "recovery_codes" } | { kind: "disable"; code: string };

const TWO_FACTOR_CHECK_PATH = "/settings/two_factor/check";

function twoFactorCheckHandlers(ctx: AppContext, member: Member): PasswordStepHandlers<TwoFactorAction> {
	return {
		refused: (status, error) => twoFactorPage(ctx, member, { status, error }),
		async done(action) {
			if (!member.user.otpEnabledAt) return twoFactorPage(ctx, member);
			if (action.kind === "recovery_codes") {
				const codes = await replaceRecoveryCodes(ctx.db, member.user.id);
				return twoFactorPage(
					ctx,
					member,
					{ notice: "New recovery codes made; the old ones no longer work." },
					codesList(codes),
				);
			}
			// The code is checked last: a recovery code is used up only once the password was right.
			if (!(await checkSecondFactor(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, member.user, action.code))) {
				return twoFactorPage(ctx, member, { status: 422, error: "The password or the code is not right." });
			}
			await disableTwoFactor(ctx.db, member.user.id);
			const off = { ...member, user: { ...member.user, otpEnabledAt: null, otpSecret: null } };
			return twoFactorPage(ctx, off, { notice: "Two-factor sign-in is off." });
		},
	};
}

function checkThen(ctx: AppContext, member: Member, password: string, action: TwoFactorAction) {
	return startPasswordStep(
		ctx,
		{ boundTo: member.secret, check: { user: member.user, password }, action },
		TWO_FACTOR_CHECK_PATH,
		twoFactorCheckHandlers(ctx, member),
	);
}

export async function recoveryCodesForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return twoFactorPage(ctx, member, REFUSED);
	if (!member.user.otpEnabledAt) return twoFactorPage(ctx, member);
	return checkThen(ctx, member, params.string("current_password", { maxLength: 256 }) ?? "", {
		kind: "recovery_codes",
	});
}

export async function disableForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return twoFactorPage(ctx, member, REFUSED);
	if (!member.user.otpEnabledAt) return twoFactorPage(ctx, member);
	return checkThen(ctx, member, params.string("current_password", { maxLength: 256 }) ?? "", {
		kind: "disable",
		code: params.string("code", { maxLength: 40 }) ?? "",
	});
}

/** The following requests of a two-factor change's password check. */
export function continueTwoFactorCheck(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	return continuePasswordStep(request, ctx, member.secret, TWO_FACTOR_CHECK_PATH, twoFactorCheckHandlers(ctx, member));
}
