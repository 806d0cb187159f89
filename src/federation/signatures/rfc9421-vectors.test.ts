import { describe, expect, it } from "vitest";
import { base64ToBytes } from "../../lib/base64";
import { importPublicKeyPem } from "./keys";
import { signatureBase } from "./rfc9421";
import { type InnerList, isInnerList, parseDictionary, serializeInnerList } from "./structured-fields";

// RFC 9421 appendix B.1.4 (test-key-ed25519) and B.2.6 (signing a request with Ed25519).
const PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----`;
const INPUT =
	'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const SIGNATURE = "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==";

describe("RFC 9421 test vector B.2.6", () => {
	it("rebuilds the signature base and verifies the RFC's Ed25519 signature", async () => {
		const list = parseDictionary(INPUT).get("sig-b26");
		if (!list || !isInnerList(list)) throw new Error("not an inner list");
		const request = {
			method: "POST",
			url: "https://example.com/foo?param=Value&Pet=dog",
			headers: new Headers({
				Date: "Tue, 20 Apr 2021 02:07:55 GMT",
				"Content-Type": "application/json",
				"Content-Length": "18",
			}),
		};
		const base = signatureBase(request, list as InnerList);
		expect(base).toBe(
			[
				'"date": Tue, 20 Apr 2021 02:07:55 GMT',
				'"@method": POST',
				'"@path": /foo',
				'"@authority": example.com',
				'"content-type": application/json',
				'"content-length": 18',
				'"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
			].join("\n"),
		);
		const { type, key } = await importPublicKeyPem(PUBLIC_KEY);
		expect(type).toBe("ed25519");
		const ok = await crypto.subtle.verify(
			{ name: "Ed25519" },
			key,
			base64ToBytes(SIGNATURE),
			new TextEncoder().encode(base),
		);
		expect(ok).toBe(true);
	});

	it("round-trips structured fields it parses", () => {
		const list = parseDictionary(INPUT).get("sig-b26") as InnerList;
		expect(`sig-b26=${serializeInnerList(list)}`).toBe(INPUT);
		const dict = parseDictionary('a=1, b=?0, c=:YWJj:, d=tok;x="y\\"z", e');
		expect([...dict.keys()]).toEqual(["a", "b", "c", "d", "e"]);
		expect(() => parseDictionary("a=(")).toThrow();
		expect(() => parseDictionary('a="unterminated')).toThrow();
	});
});
