import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { db } from "../../../test/helpers/users";
import { verifyVapidJwt } from "../../../test/helpers/web-push";
import { vapidKeys } from "../../db/schema";
import { open } from "../../lib/crypto/secret-box";
import { signVapidToken } from "../../lib/crypto/vapid";
import { VAPID_SEAL_INFO, vapidPublicKey, vapidSigner } from "./vapid-key";

describe("instance VAPID key", () => {
	it("is created once even when first requests race, and its private half is sealed", async () => {
		const secret = env.KEY_ENCRYPTION_SECRET;
		const keys = await Promise.all(Array.from({ length: 5 }, () => vapidPublicKey(db(), secret)));
		expect(new Set(keys).size).toBe(1);
		const rows = await db().select().from(vapidKeys);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.privateKeySealed).toMatch(/^v1\./);
		await expect(open(secret, "another/label", rows[0]?.privateKeySealed ?? "")).rejects.toThrow();
		expect((await open(secret, VAPID_SEAL_INFO, rows[0]?.privateKeySealed ?? "")).length).toBeGreaterThan(32);

		const signer = await vapidSigner(db(), secret);
		expect(signer.publicKey).toBe(keys[0]);
		const jwt = await signVapidToken(signer.privateKey, "https://fcm.example/send/x", "https://tern.test");
		expect((await verifyVapidJwt(jwt, signer.publicKey)).aud).toBe("https://fcm.example");
	});
});
