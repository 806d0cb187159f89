import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import type { JobMessage } from "../../queues/messages";
import { type CreatedAccount, createLocalAccount } from "../accounts/local-accounts";

export class RegistrationClosedError extends Error {
	constructor() {
		super("Sign-ups are closed on this server");
	}
}

export interface RegistrationInput {
	username: string;
	email: string;
	password: string;
	agreement: boolean;
	reason: string | undefined;
	locale: string | undefined;
}

/**
 * Signs a person up under the instance's REGISTRATION_MODE: open accounts work
 * at once, approval ones wait for `tern user approve`. Tern sends no email, so
 * addresses are not confirmed by mail. Signing keys are made by the jobs
 * queue: RSA generation is far too slow for a request.
 */
export async function registerUser(
	db: Db,
	env: Pick<Env, "JOBS_QUEUE">,
	config: InstanceConfig,
	input: RegistrationInput,
): Promise<CreatedAccount> {
	if (config.registrationMode === "closed") throw new RegistrationClosedError();
	if (!input.agreement) throw new ValidationError("agreement", "You must agree to the server rules");
	const reason = input.reason?.trim() ?? "";
	if (config.registrationMode === "approval" && !reason) {
		throw new ValidationError("reason", "Please say why you want to join");
	}
	if (reason.length > 500) throw new ValidationError("reason", "Reason is too long (maximum is 500 characters)");
	const created = await createLocalAccount(db, config, {
		username: input.username,
		email: input.email,
		password: input.password,
		confirmed: true,
		approved: config.registrationMode === "open",
	});
	await env.JOBS_QUEUE.send({ type: "account.generate_keys", accountId: created.account.id } satisfies JobMessage);
	if (reason || input.locale) {
		const locale = input.locale && /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(input.locale) ? input.locale : undefined;
		await db
			.update(users)
			.set({ signUpReason: reason || null, ...(locale ? { locale } : {}) })
			.where(eq(users.id, created.user.id));
	}
	return created;
}
