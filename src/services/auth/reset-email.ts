import { EmailMessage } from "cloudflare:email";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { createSelfServiceResetLink } from "./password-reset";

/**
 * Cloudflare's send_email binding, which an admin may add as `EMAIL` in
 * wrangler.toml (`[[send_email]] name = "EMAIL"`). Tern works without it:
 * then members who forgot their password ask an admin for a reset link.
 */
export interface EmailBinding {
	send(message: EmailMessage): Promise<void>;
}

/** Builds the message the binding sends; a parameter so tests can read what would be sent. */
export type MakeMessage = (from: string, to: string, raw: string) => EmailMessage;
const emailMessage: MakeMessage = (from, to, raw) => new EmailMessage(from, to, raw);

export interface EmailEnv {
	EMAIL?: EmailBinding;
	/** The sender address, on a domain with Email Routing (default: noreply@ the instance's host). */
	EMAIL_FROM?: string;
}

export function emailBinding(env: unknown): EmailBinding | undefined {
	const binding = (env as EmailEnv).EMAIL;
	return binding && typeof binding.send === "function" ? binding : undefined;
}

function header(value: string): string {
	return value.replace(/[\r\n]+/g, " ");
}

/**
 * Sends a reset link to the address of the account it belongs to, if there
 * is one (the caller answers the same either way, so the form does not tell
 * who has an account here).
 */
export async function sendResetEmail(
	db: Db,
	env: EmailEnv,
	config: InstanceConfig,
	email: string,
	now = new Date(),
	makeMessage: MakeMessage = emailMessage,
): Promise<void> {
	const binding = emailBinding(env);
	if (!binding) return;
	const found = await createSelfServiceResetLink(db, config.origin, email, now);
	if (!found) return;
	const from = env.EMAIL_FROM || `noreply@${config.domain.replace(/:\d+$/, "")}`;
	const body = [
		`Hello @${found.account.username},`,
		"",
		`Someone (hopefully you) asked to reset your password on ${config.title}.`,
		"Open this link within an hour to choose a new one:",
		"",
		found.link.url,
		"",
		"If it was not you, ignore this email: your password stays as it is.",
	].join("\r\n");
	const raw = [
		`From: ${header(config.title)} <${from}>`,
		`To: <${found.user.email}>`,
		`Subject: ${header(`Reset your password on ${config.title}`)}`,
		`Date: ${now.toUTCString()}`,
		`Message-ID: <${crypto.randomUUID()}@${config.domain.replace(/:\d+$/, "")}>`,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
		"",
		body,
	].join("\r\n");
	await binding.send(makeMessage(from, found.user.email, raw));
}
