import { beforeAll, describe, expect, it } from "vitest";
import { generateEd25519KeyPair, generateRsaKeyPair, RSA_ALGORITHM } from "../../lib/crypto/key-pairs";
import { parseCavageHeader } from "./cavage";
import {
	checkSignature,
	importVerificationKey,
	SignatureError,
	type SignatureSpec,
	type SigningKey,
	signRequest,
	type VerificationKey,
	verifyWithKey,
} from "./index";
import type { SignableRequest } from "./request";

const KEY_ID = "https://a.example/users/alice#main-key";
const ED_KEY_ID = "https://a.example/users/alice#ed25519-key";
const BODY = JSON.stringify({ type: "Follow", actor: "https://a.example/users/alice" });

let rsa: { signing: SigningKey; verification: VerificationKey };
let otherRsa: VerificationKey;
let ed: { signing: SigningKey; verification: VerificationKey };

async function rsaPair(keyId: string) {
	const pair = await generateRsaKeyPair();
	const privateKey = await crypto.subtle.importKey("pkcs8", pair.privateKey, RSA_ALGORITHM, false, ["sign"]);
	return {
		signing: { keyId, type: "rsa", privateKey } as SigningKey,
		verification: await importVerificationKey(keyId, pair.publicKey),
	};
}

beforeAll(async () => {
	rsa = await rsaPair(KEY_ID);
	otherRsa = (await rsaPair(KEY_ID)).verification;
	const edPair = await generateEd25519KeyPair();
	const edPrivate = await crypto.subtle.importKey("pkcs8", edPair.privateKey, { name: "Ed25519" }, false, ["sign"]);
	ed = {
		signing: { keyId: ED_KEY_ID, type: "ed25519", privateKey: edPrivate },
		verification: await importVerificationKey(ED_KEY_ID, edPair.publicKey),
	};
});

function post(body = BODY): SignableRequest {
	return {
		method: "POST",
		url: "https://b.example/users/bob/inbox",
		headers: new Headers({ "Content-Type": "application/activity+json" }),
		body,
	};
}

function get(url = "https://b.example/users/bob?page=true"): SignableRequest {
	return { method: "GET", url, headers: new Headers({ Accept: "application/activity+json" }) };
}

const specs: SignatureSpec[] = ["cavage", "rfc9421"];

describe.each(specs)("%s signatures", (spec) => {
	it("round-trips a POST with a body digest", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec);
		expect(request.headers.has(spec === "cavage" ? "digest" : "content-digest")).toBe(true);
		expect(await verifyWithKey(request, rsa.verification)).toBe(true);
		const check = await checkSignature(request);
		expect(check.spec).toBe(spec);
		expect(check.keyId).toBe(KEY_ID);
	});

	it("round-trips a GET with a query string", async () => {
		const request = get();
		await signRequest(request, rsa.signing, spec);
		expect(await verifyWithKey(request, rsa.verification)).toBe(true);
	});

	it("rejects a tampered body", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec);
		request.body = BODY.replace("Follow", "Delete");
		await expect(checkSignature(request)).rejects.toBeInstanceOf(SignatureError);
	});

	it("rejects a digest recomputed by the forger", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec);
		const forged = post(BODY.replace("Follow", "Delete"));
		// The forger signs nothing but swaps body and digest header.
		const digestSource = post(BODY.replace("Follow", "Delete"));
		await signRequest(digestSource, rsa.signing, spec);
		for (const name of ["signature", "signature-input", "date"]) {
			const value = request.headers.get(name);
			if (value) forged.headers.set(name, value);
		}
		for (const name of ["digest", "content-digest"]) {
			const value = digestSource.headers.get(name);
			if (value) forged.headers.set(name, value);
		}
		expect(await verifyWithKey(forged, rsa.verification)).toBe(false);
	});

	it("rejects another key", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec);
		expect(await verifyWithKey(request, otherRsa)).toBe(false);
	});

	it("rejects a different target", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec);
		request.url = "https://b.example/users/carol/inbox";
		expect(await verifyWithKey(request, rsa.verification)).toBe(false);
	});

	it("rejects an expired signature and one from the future", async () => {
		const old = post();
		await signRequest(old, rsa.signing, spec, new Date(Date.now() - 2 * 60 * 60 * 1000));
		await expect(checkSignature(old)).rejects.toThrow(/time window/);
		const future = post();
		await signRequest(future, rsa.signing, spec, new Date(Date.now() + 2 * 60 * 60 * 1000));
		await expect(checkSignature(future)).rejects.toThrow(/time window/);
	});

	it("accepts Mastodon's clock skew: an hour past the five-minute validity", async () => {
		const request = post();
		await signRequest(request, rsa.signing, spec, new Date(Date.now() - 60 * 60 * 1000));
		expect(await verifyWithKey(request, rsa.verification)).toBe(true);
	});

	it("rejects an unsigned request", async () => {
		await expect(checkSignature(post())).rejects.toThrow(/not signed/);
	});
});

describe("cavage specifics", () => {
	it("parses quoted and bare parameters", () => {
		const params = parseCavageHeader(
			'keyId="k#1",algorithm="hs2019",created=1700000000,headers="(created) host",signature="YWJj"',
		);
		expect(params.get("created")).toBe("1700000000");
		expect(params.get("headers")).toBe("(created) host");
	});

	it("requires digest on POST and host on GET", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "cavage");
		const signature = request.headers.get("signature") as string;
		request.headers.set("signature", signature.replace(' digest"', '"'));
		await expect(checkSignature(request)).rejects.toThrow(/Digest header must be signed/);

		const getRequest = get();
		await signRequest(getRequest, rsa.signing, "cavage");
		getRequest.headers.set(
			"signature",
			(getRequest.headers.get("signature") as string).replace("(request-target) host date", "(request-target) date"),
		);
		await expect(checkSignature(getRequest)).rejects.toThrow(/Host header must be signed/);
	});

	it("rejects a signed header that is missing", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "cavage");
		request.headers.delete("date");
		await expect(checkSignature(request)).rejects.toBeInstanceOf(SignatureError);
	});

	it("rejects a Digest of another algorithm only", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "cavage");
		request.headers.set("digest", "MD5=abc");
		await expect(checkSignature(request)).rejects.toThrow(/Digest/);
	});

	it("verifies hs2019 with (created) and (expires) and an Ed25519 key", async () => {
		const request = get();
		const created = Math.floor(Date.now() / 1000);
		const text = `(request-target): get /users/bob?page=true\nhost: b.example\n(created): ${created}\n(expires): ${created + 60}`;
		const signature = await crypto.subtle.sign(
			{ name: "Ed25519" },
			ed.signing.privateKey,
			new TextEncoder().encode(text),
		);
		const b64 = btoa(String.fromCharCode(...new Uint8Array(signature)));
		request.headers.set(
			"signature",
			`keyId="${ED_KEY_ID}",algorithm="hs2019",created=${created},expires=${created + 60},headers="(request-target) host (created) (expires)",signature="${b64}"`,
		);
		expect(await verifyWithKey(request, ed.verification)).toBe(true);
	});

	it("refuses (created) with rsa-sha256", async () => {
		const request = get();
		request.headers.set(
			"signature",
			`keyId="${KEY_ID}",algorithm="rsa-sha256",created=1,headers="(request-target) host (created)",signature="YWJj"`,
		);
		await expect(checkSignature(request)).rejects.toThrow(/hs2019/);
	});

	it("accepts Mastodon's query-less (request-target)", async () => {
		const request = get("https://b.example/users/bob");
		await signRequest(request, rsa.signing, "cavage");
		request.url = "https://b.example/users/bob?page=true";
		expect(await verifyWithKey(request, rsa.verification)).toBe(true);
	});
});

describe("RFC 9421 specifics", () => {
	it("round-trips with Ed25519", async () => {
		const request = post();
		await signRequest(request, ed.signing, "rfc9421");
		expect(request.headers.get("signature-input")).toContain('alg="ed25519"');
		expect(await verifyWithKey(request, ed.verification)).toBe(true);
		expect(await verifyWithKey(request, { ...rsa.verification, keyId: ED_KEY_ID })).toBe(false);
	});

	it("requires created and @method/@target-uri", async () => {
		const request = get();
		request.headers.set("signature-input", `sig1=("@authority");keyid="${KEY_ID}"`);
		request.headers.set("signature", "sig1=:YWJj:");
		await expect(checkSignature(request)).rejects.toThrow(/created/);
		request.headers.set(
			"signature-input",
			`sig1=("@authority");created=${Math.floor(Date.now() / 1000)};keyid="${KEY_ID}"`,
		);
		await expect(checkSignature(request)).rejects.toThrow(/@method/);
	});

	it("requires Content-Digest on POST", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "rfc9421");
		request.headers.delete("content-digest");
		await expect(checkSignature(request)).rejects.toThrow(/Content-Digest/);
	});

	it("honours a short expires", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "rfc9421");
		const input = request.headers.get("signature-input") as string;
		const created = Number(/created=(\d+)/.exec(input)?.[1]);
		request.headers.set("signature-input", input.replace(/;keyid/, `;expires=${created - 7200};keyid`));
		await expect(checkSignature(request)).rejects.toThrow(/time window/);
	});

	it("refuses an unknown algorithm", async () => {
		const request = post();
		await signRequest(request, rsa.signing, "rfc9421");
		request.headers.set(
			"signature-input",
			(request.headers.get("signature-input") as string).replace("rsa-v1_5-sha256", "hmac-sha256"),
		);
		await expect(checkSignature(request)).rejects.toThrow(/algorithm/);
	});
});
