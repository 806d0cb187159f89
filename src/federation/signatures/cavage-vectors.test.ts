import { describe, expect, it } from "vitest";
import { checkSignature, importVerificationKey, SignatureError } from "./index";

// draft-cavage-http-signatures-12, appendix C: the "Test" key and the signatures of C.1 and C.3.
const SPKI = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----`;
const PKCS1 = `-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBAMIUQ0bDffIaKHL3akONlCGXQLfqs8mP4K99ILz6rbyHEDXrVAU1R3Xf
C4JNRyrRB3aqwF7/aEXJzYMIkmDSHUvvz7pnhQxHsQ5yl91QT0d/eb+Gz4VRHjm4
El4MrUdIUcPxscoPqS/wU8Z8lOi1z7bGMnChiL7WGqnV8h6RrGzJAgMBAAE=
-----END RSA PUBLIC KEY-----`;
const NOW = new Date("2014-01-05T21:31:40Z");
const C1 =
	'keyId="Test",algorithm="rsa-sha256",signature="SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM="';
const C3 =
	'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date content-type digest content-length",signature="vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE="';

function request(signature: string) {
	return {
		method: "POST",
		url: "https://example.com/foo?param=value&pet=dog",
		headers: new Headers({
			Host: "example.com",
			Date: "Sun, 05 Jan 2014 21:31:40 GMT",
			"Content-Type": "application/json",
			Digest: "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
			"Content-Length": "18",
			Signature: signature,
		}),
		body: '{"hello": "world"}',
	};
}

describe("draft-cavage test vectors", () => {
	it("verifies C.3 (all headers) with the SPKI and the PKCS#1 form of the key", async () => {
		const check = await checkSignature(request(C3), NOW);
		expect(check.keyId).toBe("Test");
		expect(await check.verify(await importVerificationKey("Test", SPKI))).toBe(true);
		expect(await check.verify(await importVerificationKey("Test", PKCS1))).toBe(true);
	});

	it("refuses C.1 (date only) as too weak for a POST, as Mastodon does", async () => {
		await expect(checkSignature(request(C1), NOW)).rejects.toBeInstanceOf(SignatureError);
	});

	it("refuses C.3 once its five minutes and the hour of skew are over", async () => {
		await expect(checkSignature(request(C3), new Date(NOW.getTime() + 66 * 60 * 1000))).rejects.toThrow(/time window/);
		await expect(checkSignature(request(C3), new Date(NOW.getTime() + 64 * 60 * 1000))).resolves.toBeTruthy();
	});
});
