import { base64ToBytes, bytesToBase64 } from "../base64";
import { timingSafeEqual } from "./digest";

/**
 * PBKDF2-HMAC-SHA256 through WebCrypto. 100,000 iterations is the most workerd
 * accepts for PBKDF2; it costs about 27 ms of CPU there (see docs/performance.md),
 * so only sign-in and password changes pay it. The iteration count is stored
 * with each hash, so raising it later re-hashes on the next successful sign-in.
 */
export const PASSWORD_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const SCHEME = "pbkdf2-sha256";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
	const key = await crypto.subtle.importKey(
		"raw",
		new TextEncoder().encode(password.normalize("NFKC")),
		"PBKDF2",
		false,
		["deriveBits"],
	);
	const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
	return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
	const hash = await derive(password, salt, iterations);
	return `${SCHEME}$${iterations}$${bytesToBase64(salt)}$${bytesToBase64(hash)}`;
}

export interface PasswordCheck {
	ok: boolean;
	/** True when the stored hash uses weaker parameters than today's and should be replaced. */
	needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
	const [scheme, iterationsText, saltText, hashText] = stored.split("$");
	const iterations = Number(iterationsText);
	if (scheme !== SCHEME || !Number.isInteger(iterations) || !saltText || !hashText) {
		return { ok: false, needsRehash: false };
	}
	const hash = await derive(password, base64ToBytes(saltText), iterations);
	const ok = timingSafeEqual(bytesToBase64(hash), hashText);
	return { ok, needsRehash: ok && iterations < PASSWORD_ITERATIONS };
}

export function passwordProblem(password: string): string | undefined {
	if (password.length < MIN_PASSWORD_LENGTH) {
		return `Password is too short (minimum is ${MIN_PASSWORD_LENGTH} characters)`;
	}
	if (password.length > MAX_PASSWORD_LENGTH) {
		return `Password is too long (maximum is ${MAX_PASSWORD_LENGTH} characters)`;
	}
	return undefined;
}
