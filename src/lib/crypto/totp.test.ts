import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp } from "./totp";

const RFC_SECRET = new TextEncoder().encode("12345678901234567890") as Uint8Array<ArrayBuffer>;

describe("TOTP", () => {
	it("matches RFC 4226's HOTP test values", async () => {
		const expected = [
			"755224",
			"287082",
			"359152",
			"969429",
			"338314",
			"254676",
			"287922",
			"162583",
			"399871",
			"520489",
		];
		for (const [counter, value] of expected.entries()) expect(await hotp(RFC_SECRET, counter)).toBe(value);
	});

	it("matches RFC 6238's SHA-1 test values (last six digits)", async () => {
		const vectors: [number, string][] = [
			[59, "94287082"],
			[1111111109, "07081804"],
			[1111111111, "14050471"],
			[1234567890, "89005924"],
			[2000000000, "69279037"],
			[20000000000, "65353130"],
		];
		for (const [seconds, code] of vectors) {
			expect(await hotp(RFC_SECRET, Math.floor(seconds / 30), 8)).toBe(code);
			expect(await matchTotp(RFC_SECRET, code.slice(2), seconds * 1000)).toBe(Math.floor(seconds / 30));
		}
	});

	it("accepts one step of drift either way and nothing further", async () => {
		const now = 1_700_000_000_000;
		const step = Math.floor(now / 30_000);
		expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step - 1), now)).toBe(step - 1);
		expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step + 1), now)).toBe(step + 1);
		expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step - 2), now)).toBeNull();
		expect(await matchTotp(RFC_SECRET, "abcdef", now)).toBeNull();
	});

	it("round-trips base32", () => {
		expect(base32Encode(RFC_SECRET)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
		expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).toEqual(RFC_SECRET);
	});
});
