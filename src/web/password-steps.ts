import type { AppContext, AppRequest } from "../http/context";
import { sha256Hex } from "../lib/crypto/digest";
import { ValidationError } from "../lib/errors";
import {
	continuePasswordCheck,
	type PasswordStep,
	startPasswordCheck,
	startPasswordHash,
} from "../services/auth/password-check";
import { html, page } from "./html";

/**
 * Browsers give up on a chain of redirects at 16 (Safari) or 20; a password
 * change runs up to 24 steps (the check, then the new hash). Every tenth step
 * is a page that moves on by itself instead, which starts a new chain.
 */
const STEPS_PER_REDIRECT_CHAIN = 10;

/** What a check is bound to (the member's browser session, or a form cookie), so its token is worthless elsewhere. */
function passwordCheckBinding(boundTo: string): Promise<string> {
	return sha256Hex(`tern-password-check:${boundTo}`);
}

export interface PasswordStepHandlers<A> {
	/** The password matched (and a new one, if any, is hashed): do the action. */
	done(action: A, newPasswordHash: string | null): Promise<Response>;
	/** The form again, saying why. */
	refused(status: number, message: string): Response | Promise<Response>;
}

/**
 * The response to one step of a settings action's password check: on to
 * `continuePath` with the sealed work, or the action's outcome.
 */
async function afterPasswordStep<A>(
	ctx: AppContext,
	step: PasswordStep<A>,
	continuePath: string,
	handlers: PasswordStepHandlers<A>,
): Promise<Response> {
	if (step.status === "wrong") return handlers.refused(422, "The current password is not right.");
	if (step.status === "expired")
		return handlers.refused(403, "That took too long, or the form expired. Please try again.");
	if (step.status === "done") return handlers.done(step.action, step.newPasswordHash);
	const next = `${continuePath}?${new URLSearchParams({ work: step.token })}`;
	if (step.steps % STEPS_PER_REDIRECT_CHAIN !== 0) {
		return new Response(null, { status: 303, headers: { Location: next, "Cache-Control": "no-store" } });
	}
	return page(
		"One moment",
		html`<h1>One moment</h1><p>Checking your password… <a href="${next}">Continue</a> if nothing happens.</p>`,
		{
			instanceTitle: ctx.config.title,
			noindex: true,
			head: html`<meta http-equiv="refresh" content="0;url=${next}">`,
		},
	);
}

/**
 * Starts a form's password work and answers its first step: the member's
 * current password checked (and `newPassword` hashed too, if given) when
 * `check` is given, else only `newPassword` hashed. A new password that is not
 * a usable one is refused at once. `boundTo` is what the work is bound to:
 * the session's secret, or the form cookie and what the form is for.
 */
export async function startPasswordStep<A>(
	ctx: AppContext,
	input: {
		boundTo: string;
		check?: { user: { id: string; passwordHash: string | null }; password: string };
		newPassword?: string;
		action: A;
	},
	continuePath: string,
	handlers: PasswordStepHandlers<A>,
): Promise<Response> {
	const secret = ctx.env.KEY_ENCRYPTION_SECRET;
	const { check, newPassword, action } = input;
	const binding = await passwordCheckBinding(input.boundTo);
	try {
		const step = check
			? await startPasswordCheck(ctx.db, secret, { ...check, newPassword, binding, action })
			: await startPasswordHash(ctx.db, secret, { newPassword: newPassword ?? "", binding, action });
		return afterPasswordStep(ctx, step, continuePath, handlers);
	} catch (error) {
		if (error instanceof ValidationError) return handlers.refused(422, error.message);
		throw error;
	}
}

/** The GET that carries a check on: `work` from the query, bound to what it started with (the session). */
export async function continuePasswordStep<A>(
	request: AppRequest,
	ctx: AppContext,
	boundTo: string,
	continuePath: string,
	handlers: PasswordStepHandlers<A>,
): Promise<Response> {
	const token = new URL(request.url).searchParams.get("work") ?? "";
	const step = await continuePasswordCheck<A>(
		ctx.db,
		ctx.env.KEY_ENCRYPTION_SECRET,
		token,
		await passwordCheckBinding(boundTo),
	);
	return afterPasswordStep(ctx, step, continuePath, handlers);
}
