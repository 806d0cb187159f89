import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { readParams, splitKey } from "./params";

const URL_BASE = "https://tern.test/api/v1/things?from_query=1";

function post(body: BodyInit, contentType?: string): Request {
	return new Request(URL_BASE, {
		method: "POST",
		body,
		headers: contentType ? { "Content-Type": contentType } : {},
	});
}

async function expectApiError(promise: Promise<unknown>, status: number): Promise<ApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ApiError);
	expect((error as ApiError).status).toBe(status);
	return error as ApiError;
}

describe("splitKey", () => {
	it("splits Rails-style nested keys", () => {
		expect(splitKey("status")).toEqual(["status"]);
		expect(splitKey("media_ids[]")).toEqual(["media_ids", ""]);
		expect(splitKey("poll[options][]")).toEqual(["poll", "options", ""]);
		expect(splitKey("fields_attributes[0][name]")).toEqual(["fields_attributes", "0", "name"]);
		expect(splitKey("weird[key")).toEqual(["weird[key"]);
	});
});

describe("readParams reads the same parameters from every encoding", () => {
	const expected = {
		from_query: "1",
		status: "hello",
		media_ids: ["1", "2"],
		poll: { options: ["a", "b"], expires_in: "300" },
		fields_attributes: { "0": { name: "site", value: "x" }, "1": { name: "pgp", value: "y" } },
	};
	const pairs: [string, string][] = [
		["status", "hello"],
		["media_ids[]", "1"],
		["media_ids[]", "2"],
		["poll[options][]", "a"],
		["poll[options][]", "b"],
		["poll[expires_in]", "300"],
		["fields_attributes[0][name]", "site"],
		["fields_attributes[0][value]", "x"],
		["fields_attributes[1][name]", "pgp"],
		["fields_attributes[1][value]", "y"],
	];

	it("query string", async () => {
		const url = new URL(URL_BASE);
		for (const [k, v] of pairs) url.searchParams.append(k, v);
		const params = await readParams(new Request(url));
		expect(params.data).toEqual(expected);
	});

	it("application/x-www-form-urlencoded", async () => {
		const params = await readParams(post(new URLSearchParams(pairs).toString(), "application/x-www-form-urlencoded"));
		expect(params.data).toEqual(expected);
	});

	it("multipart/form-data", async () => {
		const form = new FormData();
		for (const [k, v] of pairs) form.append(k, v);
		const params = await readParams(new Request(URL_BASE, { method: "POST", body: form }));
		expect(params.data).toEqual(expected);
	});

	it("multipart/form-data keeps files", async () => {
		const form = new FormData();
		form.append("file", new File([new Uint8Array([1, 2, 3])], "a.png", { type: "image/png" }));
		form.append("description", "a dot");
		const params = await readParams(new Request(URL_BASE, { method: "POST", body: form }));
		const file = params.file("file");
		expect(file?.name).toBe("a.png");
		expect(file?.size).toBe(3);
		expect(params.string("description")).toBe("a dot");
	});

	it("multipart/form-data with a mixed-case boundary, as browsers send it", async () => {
		const boundary = "----WebKitFormBoundaryk50aVnzKKAEnup0A";
		const body = [
			`--${boundary}`,
			'Content-Disposition: form-data; name="file"; filename="a.png"',
			"Content-Type: image/png",
			"",
			"PNG",
			`--${boundary}`,
			'Content-Disposition: form-data; name="description"',
			"",
			"a dot",
			`--${boundary}--`,
			"",
		].join("\r\n");
		const params = await readParams(post(body, `Multipart/Form-Data; boundary=${boundary}`));
		expect(params.file("file")?.name).toBe("a.png");
		expect(params.string("description")).toBe("a dot");
	});

	it("application/json", async () => {
		const body = {
			status: "hello",
			media_ids: ["1", "2"],
			poll: { options: ["a", "b"], expires_in: "300" },
			fields_attributes: { "0": { name: "site", value: "x" }, "1": { name: "pgp", value: "y" } },
		};
		const params = await readParams(post(JSON.stringify(body), "application/json; charset=utf-8"));
		expect(params.data).toEqual(expected);
	});

	it("`key[][sub]` builds a list of objects", async () => {
		const body = new URLSearchParams([
			["fields_attributes[][name]", "a"],
			["fields_attributes[][value]", "1"],
			["fields_attributes[][name]", "b"],
			["fields_attributes[][value]", "2"],
		]);
		const params = await readParams(post(body.toString(), "application/x-www-form-urlencoded"));
		expect(params.objectList("fields_attributes")?.map((p) => p.data)).toEqual([
			{ name: "a", value: "1" },
			{ name: "b", value: "2" },
		]);
	});

	it("the body wins over the query string", async () => {
		const params = await readParams(post("from_query=2", "application/x-www-form-urlencoded"));
		expect(params.string("from_query")).toBe("2");
	});
});

describe("typed accessors", () => {
	it("reads booleans the way Mastodon clients send them", async () => {
		const params = await readParams(
			post(JSON.stringify({ a: true, b: "false", c: "1", d: "off", e: 0 }), "application/json"),
		);
		expect([
			params.boolean("a"),
			params.boolean("b"),
			params.boolean("c"),
			params.boolean("d"),
			params.boolean("e"),
		]).toEqual([true, false, true, false, false]);
		expect(params.boolean("missing")).toBeUndefined();
	});

	it("rejects wrong types with 422", async () => {
		const params = await readParams(
			post(JSON.stringify({ n: "x", b: "maybe", s: { a: 1 }, f: "text" }), "application/json"),
		);
		expect(() => params.integer("n")).toThrow(/must be an integer/);
		expect(() => params.boolean("b")).toThrow(/must be a boolean/);
		expect(() => params.string("s")).toThrow(/must be a string/);
		expect(() => params.file("f")).toThrow(/must be a file/);
		try {
			params.integer("n");
		} catch (error) {
			expect((error as ApiError).status).toBe(422);
		}
	});

	it("enforces integer bounds and string lengths", async () => {
		const params = await readParams(post(JSON.stringify({ limit: 500, name: "abcdef" }), "application/json"));
		expect(() => params.integer("limit", { max: 80 })).toThrow(/at most 80/);
		expect(() => params.string("name", { maxLength: 3 })).toThrow(/too long/);
		expect(params.integer("limit", { min: 1 })).toBe(500);
	});
});

describe("bad bodies", () => {
	it("malformed JSON is a 400", async () => {
		const error = await expectApiError(readParams(post("{nope", "application/json")), 400);
		expect(error.message).toMatch(/not valid JSON/);
	});

	it("a JSON array body is a 400", async () => {
		await expectApiError(readParams(post("[1,2]", "application/json")), 400);
	});

	it("an unknown content type is a 415", async () => {
		await expectApiError(readParams(post("<xml/>", "application/xml")), 415);
	});

	it("a body over the limit is a 413, declared or not", async () => {
		const big = "a=".concat("x".repeat(2000));
		await expectApiError(readParams(post(big, "application/x-www-form-urlencoded"), { maxBytes: 1000 }), 413);
		const stream = new ReadableStream({
			start(controller) {
				for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(200)));
				controller.close();
			},
		});
		const request = new Request(URL_BASE, {
			method: "POST",
			body: stream,
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			// @ts-expect-error: streaming request bodies need duplex in some runtimes
			duplex: "half",
		});
		await expectApiError(readParams(request, { maxBytes: 1000 }), 413);
	});
});

describe("text that is not text", () => {
	const post = (body: BodyInit, type: string) =>
		new Request("https://tern.test/x", { method: "POST", body, headers: { "Content-Type": type } });

	it("refuses NUL and lone surrogates in a string, whatever the encoding", async () => {
		for (const request of [
			post('{"status":"a\\u0000b"}', "application/json"),
			post('{"status":"a\\ud800b"}', "application/json"),
			post("status=a%00b", "application/x-www-form-urlencoded"),
		]) {
			const params = await readParams(request);
			expect(() => params.string("status")).toThrow(/NUL character or invalid UTF-8/);
		}
	});

	it("refuses a body that is not UTF-8", async () => {
		const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
		await expect(readParams(post(bytes, "application/json"))).rejects.toThrow(/not valid UTF-8/);
	});

	it("keeps emoji and other paired surrogates", async () => {
		const params = await readParams(post('{"status":"tern 🐦 \\ud83d\\udc26"}', "application/json"));
		expect(params.string("status")).toBe("tern 🐦 🐦");
	});
});
