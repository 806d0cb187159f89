import { describe, expect, it } from "vitest";
import { base58ToBytes, bytesToBase58, bytesToBase64 } from "../base64";
import { generateEd25519KeyPair, generateRsaKeyPair, multibaseToEd25519, RSA_ALGORITHM } from "./key-pairs";
import {
	advanceChain,
	chainFinished,
	chainHash,
	hashPassword,
	PASSWORD_COST,
	passwordProblem,
	pbkdf2,
	startChain,
	verifyPassword,
} from "./password";
import { MissingSecretError, open, seal } from "./secret-box";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

/** A hash in the previous single-call format, as instances made them before the chain. */
async function legacyHash(password: string, iterations: number): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const hash = await pbkdf2(new Uint8Array(new TextEncoder().encode(password.normalize("NFKC"))), salt, iterations);
	return `pbkdf2-sha256$${iterations}$${bytesToBase64(salt)}$${bytesToBase64(hash)}`;
}

describe("password hashing", () => {
	it("stores 600,000 PBKDF2-HMAC-SHA256 iterations as a chain of 50,000-iteration links", async () => {
		expect(PASSWORD_COST.iterations * PASSWORD_COST.links).toBe(600_000);
		expect(PASSWORD_COST.iterations).toBeLessThanOrEqual(100_000);
		const hash = await hashPassword("correct horse battery staple");
		expect(hash).toMatch(/^pbkdf2-sha256-chain\$50000\$12\$/);
		expect(await verifyPassword("correct horse battery staple", hash)).toEqual({ ok: true, needsRehash: false });
		expect((await verifyPassword("correct horse battery stapler", hash)).ok).toBe(false);
	});

	it("computes the same hash link by link as in one go, and each link depends on the one before", async () => {
		const cost = { iterations: 1000, links: 4 };
		const salt = crypto.getRandomValues(new Uint8Array(16));
		const whole = await advanceChain(await startChain("pw pw pw pw", cost, salt));
		let stepwise = await startChain("pw pw pw pw", cost, salt);
		const seen: string[] = [];
		while (!chainFinished(stepwise)) {
			stepwise = await advanceChain(stepwise, 1000);
			seen.push(bytesToBase64(stepwise.value));
		}
		expect(seen).toHaveLength(4);
		expect(new Set(seen).size).toBe(4);
		expect(chainHash(stepwise)).toBe(chainHash(whole));
		// Two links' worth of budget runs exactly two links.
		expect((await advanceChain(await startChain("pw pw pw pw", cost, salt), 2000)).done).toBe(2);
	});

	it("salts every hash", async () => {
		expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
	});

	it("verifies hashes of the previous format and asks for them, and for cheaper chains, to be replaced", async () => {
		const legacy = await legacyHash("old password", 1000);
		expect(await verifyPassword("old password", legacy)).toEqual({ ok: true, needsRehash: true });
		expect((await verifyPassword("other password", legacy)).ok).toBe(false);
		const cheap = await hashPassword("cheap password", { iterations: 1000, links: 2 });
		expect(await verifyPassword("cheap password", cheap)).toEqual({ ok: true, needsRehash: true });
	});

	it("treats malformed stored hashes as a mismatch", async () => {
		expect((await verifyPassword("x", "md5$abc")).ok).toBe(false);
		expect((await verifyPassword("x", "")).ok).toBe(false);
		expect((await verifyPassword("x", "pbkdf2-sha256-chain$0$12$AAAA$AAAA")).ok).toBe(false);
	});

	it("checks length bounds", () => {
		expect(passwordProblem("short")).toMatch(/too short/);
		expect(passwordProblem("x".repeat(300))).toMatch(/too long/);
		expect(passwordProblem("long enough")).toBeUndefined();
	});
});

describe("secret box", () => {
	it("round-trips and binds ciphertexts to their purpose", async () => {
		const data = new Uint8Array(new TextEncoder().encode("private key bytes"));
		const sealed = await seal(SECRET, "purpose-a", data);
		expect(new TextDecoder().decode(await open(SECRET, "purpose-a", sealed))).toBe("private key bytes");
		await expect(open(SECRET, "purpose-b", sealed)).rejects.toThrow();
		await expect(open(`${SECRET}x`, "purpose-a", sealed)).rejects.toThrow();
	});

	it("refuses a missing or short secret", async () => {
		await expect(seal("", "p", new Uint8Array(1))).rejects.toBeInstanceOf(MissingSecretError);
		await expect(seal("short", "p", new Uint8Array(1))).rejects.toBeInstanceOf(MissingSecretError);
	});
});

describe("key pairs", () => {
	it("makes an RSA-2048 key whose PEM imports and verifies signatures", async () => {
		const pair = await generateRsaKeyPair();
		expect(pair.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
		const der = Uint8Array.from(atob(pair.publicKey.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
		const publicKey = await crypto.subtle.importKey("spki", der, RSA_ALGORITHM, true, ["verify"]);
		expect((publicKey.algorithm as { modulusLength: number }).modulusLength).toBe(2048);
		const privateKey = await crypto.subtle.importKey("pkcs8", pair.privateKey, RSA_ALGORITHM, false, ["sign"]);
		const data = new TextEncoder().encode("hello");
		const signature = await crypto.subtle.sign(RSA_ALGORITHM, privateKey, data);
		expect(await crypto.subtle.verify(RSA_ALGORITHM, publicKey, signature, data)).toBe(true);
	});

	it("makes an Ed25519 key as a z6Mk multikey", async () => {
		const pair = await generateEd25519KeyPair();
		expect(pair.publicKey).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
		expect(multibaseToEd25519(pair.publicKey)).toHaveLength(32);
	});

	it("base58 round-trips, leading zeros included", () => {
		const bytes = new Uint8Array([0, 0, 1, 2, 255, 254]);
		expect(base58ToBytes(bytesToBase58(bytes))).toEqual(bytes);
		expect(bytesToBase58(new TextEncoder().encode("hello world"))).toBe("StV1DL6CwTryKyV");
	});
});
