import { base64ToBytes, bytesToBase64 } from "../base64";
import { timingSafeEqual } from "./digest";

/**
 * Passwords are stored as PBKDF2-HMAC-SHA256 with 600,000 iterations in all,
 * OWASP's figure for that function, run as a chain of 12 PBKDF2 calls of
 * 50,000 iterations: x0 = SHA-256(salt ‖ password), x(k+1) = PBKDF2(x(k),
 * salt ‖ k, 50,000), stored x12. Each link needs the one before, so a guess
 * costs the same 600,000 sequential HMACs as one PBKDF2 call of 600,000.
 *
 * Why a chain (docs/performance.md, "Sign-in"): Cloudflare's runtime refuses
 * PBKDF2 over 100,000 iterations per call, and one 50,000-iteration link
 * costs about 7 ms of CPU, so a sign-in can spread the work over several
 * requests that each stay inside the Free plan's 10 ms. The parameters are
 * stored with each hash; hashes of the previous single-call format
 * (`pbkdf2-sha256$100000$…`) still verify and are replaced on the next sign-in.
 */
export const CHAIN_SCHEME = "pbkdf2-sha256-chain";
const LEGACY_SCHEME = "pbkdf2-sha256";

export interface PasswordCost {
	/** PBKDF2 iterations per link: what one request can afford. */
	iterations: number;
	links: number;
}

export const PASSWORD_COST: PasswordCost = { iterations: 50_000, links: 12 };
/** The most PBKDF2 iterations one invocation spends on a password (one link at today's cost). */
export const ITERATIONS_PER_INVOCATION = 50_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

const encode = (text: string) => new Uint8Array(new TextEncoder().encode(text));

/** One PBKDF2-HMAC-SHA256 call (also what the previous format was, with the password as key). */
export async function pbkdf2(
	key: Uint8Array<ArrayBuffer>,
	salt: Uint8Array<ArrayBuffer>,
	iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
	const material = await crypto.subtle.importKey("raw", key, "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt, iterations },
		material,
		HASH_BITS,
	);
	return new Uint8Array(bits);
}

/**
 * A chain being computed: where it is (`done` links of `cost.links`) and the
 * value reached. It holds no password, only a value derived from it, and is
 * sealed whenever it leaves the Worker (src/services/auth/password-work.ts).
 */
export interface ChainProgress {
	salt: Uint8Array<ArrayBuffer>;
	cost: PasswordCost;
	done: number;
	value: Uint8Array<ArrayBuffer>;
}

export async function startChain(
	password: string,
	cost: PasswordCost = PASSWORD_COST,
	salt: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(SALT_BYTES)),
): Promise<ChainProgress> {
	const input = new Uint8Array([...salt, ...encode(password.normalize("NFKC"))]);
	const value = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
	return { salt, cost, done: 0, value };
}

/** Runs links while they fit in `iterationBudget` (always at least one); returns where it got. */
export async function advanceChain(progress: ChainProgress, iterationBudget = Number.POSITIVE_INFINITY) {
	let { done, value } = progress;
	let spent = 0;
	while (done < progress.cost.links && (spent === 0 || spent + progress.cost.iterations <= iterationBudget)) {
		value = await pbkdf2(value, new Uint8Array([...progress.salt, done]), progress.cost.iterations);
		spent += progress.cost.iterations;
		done++;
	}
	return { ...progress, done, value };
}

export const chainFinished = (progress: ChainProgress) => progress.done >= progress.cost.links;

/** A chain in progress as JSON, to be sealed between requests (its byte fields as base64). */
export type ChainProgressJson = Omit<ChainProgress, "salt" | "value"> & { salt: string; value: string };

export function chainToJson(progress: ChainProgress): ChainProgressJson {
	return { ...progress, salt: bytesToBase64(progress.salt), value: bytesToBase64(progress.value) };
}

export function chainFromJson(json: ChainProgressJson): ChainProgress {
	return { ...json, salt: base64ToBytes(json.salt), value: base64ToBytes(json.value) };
}

export function chainHash(progress: ChainProgress): string {
	const { cost } = progress;
	return `${CHAIN_SCHEME}$${cost.iterations}$${cost.links}$${bytesToBase64(progress.salt)}$${bytesToBase64(progress.value)}`;
}

export type StoredPassword =
	| { kind: "chain"; cost: PasswordCost; salt: Uint8Array<ArrayBuffer>; hash: string }
	| { kind: "legacy"; iterations: number; salt: Uint8Array<ArrayBuffer>; hash: string }
	| { kind: "unknown" };

export function parseStoredPassword(stored: string): StoredPassword {
	const parts = stored.split("$");
	const positive = (text: string | undefined) => {
		const n = Number(text);
		return Number.isInteger(n) && n > 0 ? n : undefined;
	};
	if (parts[0] === CHAIN_SCHEME && parts.length === 5) {
		const iterations = positive(parts[1]);
		const links = positive(parts[2]);
		if (iterations && links && parts[3] && parts[4]) {
			return { kind: "chain", cost: { iterations, links }, salt: base64ToBytes(parts[3]), hash: parts[4] };
		}
	}
	if (parts[0] === LEGACY_SCHEME && parts.length === 4) {
		const iterations = positive(parts[1]);
		if (iterations && parts[2] && parts[3]) {
			return { kind: "legacy", iterations, salt: base64ToBytes(parts[2]), hash: parts[3] };
		}
	}
	return { kind: "unknown" };
}

/** Whether a finished chain is the stored hash (constant time). */
export function chainMatches(progress: ChainProgress, stored: StoredPassword): boolean {
	return stored.kind === "chain" && timingSafeEqual(bytesToBase64(progress.value), stored.hash);
}

export function verifyLegacy(password: string, stored: StoredPassword & { kind: "legacy" }): Promise<boolean> {
	return pbkdf2(encode(password.normalize("NFKC")), stored.salt, stored.iterations).then((hash) =>
		timingSafeEqual(bytesToBase64(hash), stored.hash),
	);
}

/** Whether a stored hash costs less than today's parameters and should be replaced after a good sign-in. */
export function needsRehash(stored: StoredPassword): boolean {
	if (stored.kind !== "chain") return true;
	return stored.cost.iterations * stored.cost.links < PASSWORD_COST.iterations * PASSWORD_COST.links;
}

/** The whole chain at once: for the CLI and for new passwords (see docs/performance.md for the CPU this costs). */
export async function hashPassword(password: string, cost: PasswordCost = PASSWORD_COST): Promise<string> {
	return chainHash(await advanceChain(await startChain(password, cost)));
}

export interface PasswordCheck {
	ok: boolean;
	/** True when the stored hash uses weaker parameters than today's and should be replaced. */
	needsRehash: boolean;
}

/** Checks a password against a stored hash of either format in one go (the CLI, tests). */
export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
	const parsed = parseStoredPassword(stored);
	let ok = false;
	if (parsed.kind === "legacy") ok = await verifyLegacy(password, parsed);
	else if (parsed.kind === "chain") {
		ok = chainMatches(await advanceChain(await startChain(password, parsed.cost, parsed.salt)), parsed);
	}
	return { ok, needsRehash: ok && needsRehash(parsed) };
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
