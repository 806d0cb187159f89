import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { recoveryCodes, type User, users } from "../../db/schema";
import { sha256Hex } from "../../lib/crypto/digest";
import { open, seal } from "../../lib/crypto/secret-box";
import { base32Encode, matchTotp, otpauthUri } from "../../lib/crypto/totp";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { InstanceSettings } from "../instance/settings";

const SEAL_INFO = "tern:totp-secret";
export const RECOVERY_CODE_COUNT = 10;

export interface TwoFactorSetup {
	/** Base32, for typing into an app by hand. */
	secret: string;
	/** The otpauth:// URI a QR code carries. */
	uri: string;
}

async function sealedSecretOf(user: User, keySecret: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
	if (!user.otpSecret) return undefined;
	return open(keySecret, `${SEAL_INFO}:${user.id}`, user.otpSecret);
}

/**
 * Starts turning two-factor sign-in on: a fresh secret, kept sealed until the
 * member proves their app has it (`confirmTwoFactor`). Starting again
 * replaces a secret that was never confirmed; an enabled one stays.
 */
export async function beginTwoFactorSetup(
	db: Db,
	keySecret: string,
	user: User,
	label: { account: string; issuer: string },
): Promise<TwoFactorSetup> {
	if (user.otpEnabledAt) throw new ValidationError("otp", "Two-factor sign-in is already on");
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	await db
		.update(users)
		.set({ otpSecret: await seal(keySecret, `${SEAL_INFO}:${user.id}`, bytes), otpLastStep: null })
		.where(and(eq(users.id, user.id), isNull(users.otpEnabledAt)));
	const secret = base32Encode(bytes);
	return { secret, uri: otpauthUri(secret, label.account, label.issuer) };
}

/** The setup in progress (after a reload of the page), or undefined. */
export async function pendingTwoFactorSetup(
	keySecret: string,
	user: User,
	label: { account: string; issuer: string },
): Promise<TwoFactorSetup | undefined> {
	if (user.otpEnabledAt) return undefined;
	const bytes = await sealedSecretOf(user, keySecret);
	if (!bytes) return undefined;
	const secret = base32Encode(bytes);
	return { secret, uri: otpauthUri(secret, label.account, label.issuer) };
}

/**
 * Accepts a TOTP code once: the step it belongs to is recorded with a
 * conditional update, so the same code (or an older one) never works twice,
 * even from two requests racing.
 */
async function acceptTotp(db: Db, user: User, bytes: Uint8Array<ArrayBuffer>, code: string, now: number) {
	const step = await matchTotp(bytes, code, now);
	if (step === null) return false;
	const claimed = await db
		.update(users)
		.set({ otpLastStep: step })
		.where(and(eq(users.id, user.id), or(isNull(users.otpLastStep), lt(users.otpLastStep, step))))
		.returning({ id: users.id });
	return claimed.length > 0;
}

function newRecoveryCode(): string {
	// 10 characters of base32 from 50 random bits, shown as xxxxx-xxxxx.
	const raw = base32Encode(crypto.getRandomValues(new Uint8Array(7)))
		.slice(0, 10)
		.toLowerCase();
	return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

async function recoveryHash(userId: string, code: string): Promise<string> {
	return sha256Hex(
		`tern-recovery:${userId}:${code
			.trim()
			.toLowerCase()
			.replace(/[^a-z2-7]/g, "")}`,
	);
}

/** New recovery codes replacing any earlier ones; shown once, only their hashes are kept. */
export async function replaceRecoveryCodes(db: Db, userId: string, now = new Date()): Promise<string[]> {
	const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
	const rows = await Promise.all(
		codes.map(async (code) => ({ id: newId(now), userId, codeHash: await recoveryHash(userId, code), createdAt: now })),
	);
	await db.batch([
		db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
		db.insert(recoveryCodes).values(rows),
	]);
	return codes;
}

/** Finishes the setup with a code from the app; returns the recovery codes to show once. */
export async function confirmTwoFactor(db: Db, keySecret: string, user: User, code: string, now = Date.now()) {
	if (user.otpEnabledAt) throw new ValidationError("otp", "Two-factor sign-in is already on");
	const bytes = await sealedSecretOf(user, keySecret);
	if (!bytes) throw new ValidationError("otp", "Start the setup again");
	if (!(await acceptTotp(db, user, bytes, code.replace(/\s/g, ""), now))) {
		throw new ValidationError("otp", "That code is not right. Check the time on your phone and try the current code.");
	}
	await db
		.update(users)
		.set({ otpEnabledAt: new Date(now) })
		.where(eq(users.id, user.id));
	return replaceRecoveryCodes(db, user.id);
}

export async function disableTwoFactor(db: Db, userId: string): Promise<void> {
	await db.batch([
		db.update(users).set({ otpSecret: null, otpEnabledAt: null, otpLastStep: null }).where(eq(users.id, userId)),
		db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
	]);
}

/**
 * Checks the second factor at sign-in: a current code from the app, or one
 * of the recovery codes (each works once).
 */
export async function checkSecondFactor(db: Db, keySecret: string, user: User, input: string, now = Date.now()) {
	if (!user.otpEnabledAt) return true;
	const code = input.trim();
	if (/^\d{3}\s?\d{3}$/.test(code)) {
		const bytes = await sealedSecretOf(user, keySecret);
		return bytes ? acceptTotp(db, user, bytes, code.replace(/\s/g, ""), now) : false;
	}
	const used = await db
		.update(recoveryCodes)
		.set({ usedAt: new Date(now) })
		.where(
			and(
				eq(recoveryCodes.userId, user.id),
				eq(recoveryCodes.codeHash, await recoveryHash(user.id, code)),
				isNull(recoveryCodes.usedAt),
			),
		)
		.returning({ id: recoveryCodes.id });
	return used.length > 0;
}

export async function unusedRecoveryCodeCount(db: Db, userId: string): Promise<number> {
	const rows = await db
		.select({ id: recoveryCodes.id })
		.from(recoveryCodes)
		.where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
	return rows.length;
}

/** Staff must turn on two-factor sign-in before anything else when the admin requires it. */
export function mustSetUpTwoFactor(user: User, settings: InstanceSettings): boolean {
	return settings.requireStaffTwoFactor === "true" && user.role !== "user" && !user.otpEnabledAt;
}
