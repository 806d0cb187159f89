import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import type { JobMessage } from "../../queues/messages";
import { type CreatedAccount, createLocalAccount } from "../accounts/local-accounts";
import { emailDomainVerdict } from "../moderation/email-domain-blocks";
import {
	addressHash,
	notifyStaffOfSignUp,
	recordSignUpAttempt,
	SignUpThrottledError,
	signUpThrottled,
} from "../moderation/sign-ups";

export class RegistrationClosedError extends Error {
	constructor() {
		super("Sign-ups are closed on this server");
	}
}

export interface RegistrationInput {
	username: string;
	email: string;
	password: string;
	/** Set when the caller hashed the password itself (the web sign-up's steps); `password` is then empty. */
	passwordHash?: string;
	agreement: boolean;
	reason: string | undefined;
	locale: string | undefined;
	/** The client's address (CF-Connecting-IP), for the per-address sign-up limit. */
	address?: string | null;
}

/**
 * Signs a person up under the instance's REGISTRATION_MODE: open accounts work
 * at once, approval ones wait for a moderator (the console's sign-up queue or
 * `tern user approve`). Tern sends no email, so addresses are not confirmed by
 * mail. An address may sign up a few times per half hour; email domains can
 * be blocked, or allowed only with approval. Staff are notified of each
 * sign-up. Signing keys are made by the jobs queue: RSA generation is far too
 * slow for a request.
 */
export async function registerUser(
	db: Db,
	env: Pick<Env, "JOBS_QUEUE">,
	config: InstanceConfig,
	input: RegistrationInput,
): Promise<CreatedAccount> {
	if (config.registrationMode === "closed") throw new RegistrationClosedError();
	const address = input.address ?? null;
	if (await signUpThrottled(db, address)) throw new SignUpThrottledError();
	await recordSignUpAttempt(db, address);
	if (!input.agreement) throw new ValidationError("agreement", "You must agree to the server rules");
	const reason = input.reason?.trim() ?? "";
	if (config.registrationMode === "approval" && !reason) {
		throw new ValidationError("reason", "Please say why you want to join");
	}
	if (reason.length > 500) throw new ValidationError("reason", "Reason is too long (maximum is 500 characters)");
	const verdict = input.email.includes("@") ? await emailDomainVerdict(db, input.email) : null;
	if (verdict === "blocked") throw new ValidationError("email", "This email provider is not allowed on this server");
	const created = await createLocalAccount(db, config, {
		username: input.username,
		email: input.email,
		password: input.password,
		passwordHash: input.passwordHash,
		confirmed: true,
		approved: config.registrationMode === "open" && verdict !== "approval",
	});
	await env.JOBS_QUEUE.send({ type: "account.generate_keys", accountId: created.account.id } satisfies JobMessage);
	const locale = input.locale && /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(input.locale) ? input.locale : undefined;
	const extra = {
		...(reason ? { signUpReason: reason } : {}),
		...(locale ? { locale } : {}),
		...(address ? { signUpAddressHash: await addressHash(address) } : {}),
	};
	if (Object.keys(extra).length > 0) await db.update(users).set(extra).where(eq(users.id, created.user.id));
	await notifyStaffOfSignUp(db, created.account);
	return { ...created, user: { ...created.user, ...extra } };
}
