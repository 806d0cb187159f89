import { describe, expect, it } from "vitest";
import { base58ToBytes, bytesToBase58 } from "../base64";
import { generateEd25519KeyPair, generateRsaKeyPair, multibaseToEd25519, RSA_ALGORITHM } from "./key-pairs";
import { hashPassword, PASSWORD_ITERATIONS, passwordProblem, verifyPassword } from "./password";
import { MissingSecretError, open, seal } from "./secret-box";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

describe("password hashing", () => {
	it("verifies the right password and rejects a wrong one", async () => {
		const hash = await hashPassword("correct horse battery staple");
		expect(hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PASSWORD_ITERATIONS}\\$`));
		expect(await verifyPassword("correct horse battery staple", hash)).toEqual({ ok: true, needsRehash: false });
		expect((await verifyPassword("correct horse battery stapler", hash)).ok).toBe(false);
	});

	it("salts every hash", async () => {
		expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
	});

	it("asks for a rehash when the stored hash is weaker than today's parameters", async () => {
		const weak = await hashPassword("old password", 1000);
		expect(await verifyPassword("old password", weak)).toEqual({ ok: true, needsRehash: true });
	});

	it("treats malformed stored hashes as a mismatch", async () => {
		expect((await verifyPassword("x", "md5$abc")).ok).toBe(false);
		expect((await verifyPassword("x", "")).ok).toBe(false);
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
