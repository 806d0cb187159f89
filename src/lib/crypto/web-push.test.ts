import { describe, expect, it } from "vitest";
import {
	createPushReceiver,
	decryptAes128gcm,
	decryptAesgcm,
	importEcdhPrivateKey,
	verifyVapidJwt,
} from "../../../test/helpers/web-push";
import { base64UrlToBytes, bytesToBase64Url } from "../base64";
import { generateVapidKeyPair, importVapidPrivateKey, signVapidToken, VAPID_TOKEN_LIFETIME_SECONDS } from "./vapid";
import { encryptAes128gcm, encryptAesgcm, validatePushTarget } from "./web-push-ece";

const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

// RFC 8291, Appendix A.
const RFC8291 = {
	plaintext: "When I grow up, I want to be a watermelon",
	uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
	uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
	authSecret: "BTBZMqHH6r4Tts7J_aSIgg",
	asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
	asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
	salt: "DGv6ra1nlYgDCS1FRnbzlw",
	body:
		"DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml" +
		"mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT" +
		"pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

describe("aes128gcm (RFC 8291)", () => {
	it("reproduces the RFC's example message byte for byte", async () => {
		const senderKeys = {
			publicKey: base64UrlToBytes(RFC8291.asPublic),
			privateKey: await importEcdhPrivateKey(RFC8291.asPrivate, RFC8291.asPublic),
		};
		const body = await encryptAes128gcm(
			utf8(RFC8291.plaintext),
			{ p256dh: RFC8291.uaPublic, auth: RFC8291.authSecret },
			{ salt: base64UrlToBytes(RFC8291.salt), senderKeys },
		);
		expect(bytesToBase64Url(body)).toBe(RFC8291.body);
	});

	it("decrypts with the user agent's private key of the example", async () => {
		const receiver = {
			p256dh: RFC8291.uaPublic,
			auth: RFC8291.authSecret,
			privateKey: await importEcdhPrivateKey(RFC8291.uaPrivate, RFC8291.uaPublic),
		};
		expect(await decryptAes128gcm(receiver, base64UrlToBytes(RFC8291.body))).toBe(RFC8291.plaintext);
	});

	it("round-trips with fresh keys and salt", async () => {
		const receiver = await createPushReceiver();
		const message = JSON.stringify({ title: "Ünïcode ✓", body: "x".repeat(500) });
		const body = await encryptAes128gcm(utf8(message), receiver);
		expect(await decryptAes128gcm(receiver, body)).toBe(message);
	});
});

describe("aesgcm (legacy draft)", () => {
	it("round-trips: the receiver decrypts with its private key and the header values", async () => {
		const receiver = await createPushReceiver();
		const message = '{"notification_id":"1","title":"Hello"}';
		const encrypted = await encryptAesgcm(utf8(message), receiver);
		expect(encrypted.salt.length).toBe(16);
		expect(encrypted.senderPublicKey.length).toBe(65);
		// Two bytes of padding length, the message, the 16-byte tag.
		expect(encrypted.body.length).toBe(2 + message.length + 16);
		const text = await decryptAesgcm(receiver, encrypted.body, {
			encryption: `salt=${bytesToBase64Url(encrypted.salt)}`,
			cryptoKey: `dh=${bytesToBase64Url(encrypted.senderPublicKey)};p256ecdsa=abc`,
		});
		expect(text).toBe(message);
	});

	it("cannot be opened with another receiver's key", async () => {
		const receiver = await createPushReceiver();
		const other = await createPushReceiver();
		const encrypted = await encryptAesgcm(utf8("secret"), receiver);
		await expect(
			decryptAesgcm({ ...other, auth: receiver.auth }, encrypted.body, {
				encryption: `salt=${bytesToBase64Url(encrypted.salt)}`,
				cryptoKey: `dh=${bytesToBase64Url(encrypted.senderPublicKey)}`,
			}),
		).rejects.toThrow();
	});
});

describe("validatePushTarget", () => {
	it("accepts a real key and a 16-byte secret", async () => {
		const receiver = await createPushReceiver();
		expect(await validatePushTarget(receiver)).toBeNull();
	});

	it("refuses points off the curve, wrong lengths and short secrets", async () => {
		const receiver = await createPushReceiver();
		const point = base64UrlToBytes(receiver.p256dh);
		const offCurve = point.slice();
		offCurve[64] = (offCurve[64] ?? 0) ^ 1;
		expect(await validatePushTarget({ ...receiver, p256dh: bytesToBase64Url(offCurve) })).toMatch(/P-256/);
		expect(await validatePushTarget({ ...receiver, p256dh: bytesToBase64Url(point.slice(0, 33)) })).toMatch(/P-256/);
		expect(await validatePushTarget({ ...receiver, auth: bytesToBase64Url(new Uint8Array(8)) })).toMatch(/16 bytes/);
		expect(await validatePushTarget({ ...receiver, auth: "***" })).toMatch(/base64url/);
	});
});

describe("VAPID", () => {
	it("makes a 65-byte public point and a JWT its public key verifies", async () => {
		const pair = await generateVapidKeyPair();
		expect(base64UrlToBytes(pair.publicKey).length).toBe(65);
		expect(base64UrlToBytes(pair.publicKey)[0]).toBe(4);
		const now = new Date("2026-01-02T03:04:05Z");
		const jwt = await signVapidToken(
			await importVapidPrivateKey(pair.privateKey),
			"https://push.example:8443/send/abc?x=1",
			"mailto:admin@tern.test",
			now,
		);
		const claims = await verifyVapidJwt(jwt, pair.publicKey);
		expect(claims).toEqual({
			aud: "https://push.example:8443",
			exp: Math.floor(now.getTime() / 1000) + VAPID_TOKEN_LIFETIME_SECONDS,
			sub: "mailto:admin@tern.test",
		});
		expect(VAPID_TOKEN_LIFETIME_SECONDS).toBeLessThanOrEqual(24 * 60 * 60);
		const other = await generateVapidKeyPair();
		await expect(verifyVapidJwt(jwt, other.publicKey)).rejects.toThrow(/signature/);
	});
});
