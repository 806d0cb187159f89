import { env } from "cloudflare:workers";
import WEBP_ENCODER from "@jsquash/webp/codec/enc/webp_enc_simd.wasm";
import encodeWebp, { init as initWebpEncoder } from "@jsquash/webp/encode";
import { encode as encodeHash } from "blurhash";
import { decode as decodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runJob } from "../../src/queues/jobs";
import type { JobMessage } from "../../src/queues/messages";
import type { MastodonMediaAttachment } from "../../src/serializers/mastodon/entities";
import { corruptPng, fileOf, noisyPng, png3x2, pngFile } from "../helpers/images";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser, db } from "../helpers/users";

function upload(token: string, file: File, version: "v1" | "v2") {
	const form = new FormData();
	form.set("file", file);
	return api(`/api/${version}/media`, { method: "POST", token, body: form });
}

/** Keeps deferred jobs for the test to run, instead of the local queue running them at some moment. */
function captureJobs(): JobMessage[] {
	const sent: JobMessage[] = [];
	vi.spyOn(env.JOBS_QUEUE, "send").mockImplementation(async (body) => {
		sent.push(body as JobMessage);
		return undefined as never;
	});
	return sent;
}

async function runJobs(jobs: JobMessage[]) {
	for (const job of jobs.splice(0)) await runJob(job, { env, exec: {} as ExecutionContext, db: db() });
}

/** The hash the blurhash library gives the 3×2 test PNG's own pixels, with Mastodon's 4×4 components. */
function expected3x2Hash(): string {
	const png = decodePng(png3x2());
	const rgba = new Uint8ClampedArray(6 * 4);
	for (let p = 0; p < 6; p++) {
		rgba.set([png.data[p * 3] ?? 0, png.data[p * 3 + 1] ?? 0, png.data[p * 3 + 2] ?? 0, 255], p * 4);
	}
	return encodeHash(rgba, 3, 2, 4, 4);
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("blurhash and processing of uploads", () => {
	it("v1 answers at once with the blurhash and sizes", async () => {
		const user = await createTestUser();
		const response = await upload(user.token, pngFile(), "v1");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v1/media", 200, body);
		expect(body.blurhash).toBe(expected3x2Hash());
		expect(body.url).toBe(body.preview_url);
		expect(body.meta?.small).toEqual({ width: 3, height: 2, size: "3x2", aspect: 1.5 });
	});

	it("v2 answers 200 with the blurhash for a small image", async () => {
		const user = await createTestUser();
		const jobs = captureJobs();
		const response = await upload(user.token, pngFile(), "v2");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v2/media", 200, body);
		expect(body.blurhash).toBe(expected3x2Hash());
		expect(body.url).toMatch(/\/media\/media\/\d+\/original\.png$/);
		expect(jobs).toEqual([]);
	});

	it("v2 defers a large image: 202 with no url, 206 while processing, 200 with blurhash and small version after", async () => {
		const user = await createTestUser();
		const jobs = captureJobs();
		const response = await upload(user.token, fileOf(noisyPng(1000, 600)), "v2");
		expect(response.status).toBe(202);
		const accepted = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v2/media", 202, accepted);
		expect(accepted).toMatchObject({ url: null, preview_url: null, blurhash: null });
		expect(accepted.meta?.original).toMatchObject({ width: 1000, height: 600 });
		expect(jobs).toEqual([{ type: "media.process", mediaId: accepted.id }]);

		const pending = await api(`/api/v1/media/${accepted.id}`, { token: user.token });
		expect(pending.status).toBe(206);
		// The schema lists 206 without a body; Mastodon sends the same MediaAttachment as for 200.
		const pendingBody = (await pending.json()) as MastodonMediaAttachment;
		expectMatchesSchema("GET", "/api/v1/media/{id}", 200, pendingBody);
		expect(pendingBody).toMatchObject({ id: accepted.id, url: null, blurhash: null });

		const post = await api("/api/v1/statuses", {
			method: "POST",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ status: "Too soon", media_ids: [accepted.id] }),
		});
		expect(post.status).toBe(422);
		expect(await post.json()).toEqual({
			error: "Cannot attach files that have not finished processing. Try again in a moment!",
		});

		await runJobs(jobs);
		const done = await api(`/api/v1/media/${accepted.id}`, { token: user.token });
		expect(done.status).toBe(200);
		const body = (await done.json()) as MastodonMediaAttachment;
		expectMatchesSchema("GET", "/api/v1/media/{id}", 200, body);
		expect(body.blurhash).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{36}$/);
		expect(body.url).toMatch(/\/original\.png$/);
		expect(body.preview_url).toMatch(/\/small\.png$/);
		expect(body.meta?.small).toEqual({ width: 619, height: 371, size: "619x371", aspect: 619 / 371 });
		const small = await api(new URL(body.preview_url ?? "").pathname);
		expect(small.status).toBe(200);
		const smallPng = decodePng(new Uint8Array(await small.arrayBuffer()));
		expect([smallPng.width, smallPng.height]).toEqual([619, 371]);

		const posted = await api("/api/v1/statuses", {
			method: "POST",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ status: "Now it works", media_ids: [accepted.id] }),
		});
		expect(posted.status).toBe(200);
		const status = (await posted.json()) as { media_attachments: MastodonMediaAttachment[] };
		expectMatchesSchema("POST", "/api/v1/statuses", 200, status);
		expect(status.media_attachments[0]?.blurhash).toBe(body.blurhash);
	}, 20_000);

	it("v1 processes even a large image before answering", async () => {
		const user = await createTestUser();
		const jobs = captureJobs();
		const response = await upload(user.token, fileOf(noisyPng(1000, 600)), "v1");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v1/media", 200, body);
		expect(body.blurhash).toHaveLength(36);
		expect(body.preview_url).toMatch(/\/small\.png$/);
		expect(jobs).toEqual([]);
	}, 20_000);

	it("keeps a corrupt image that passed the header checks: ready, with a null blurhash", async () => {
		const user = await createTestUser();
		const jobs = captureJobs();
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		const small = await upload(user.token, fileOf(corruptPng(30, 20)), "v1");
		expect(small.status).toBe(200);
		const smallBody = (await small.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v1/media", 200, smallBody);
		expect(smallBody).toMatchObject({ blurhash: null, meta: { original: { width: 30, height: 20 } } });
		expect(smallBody.url).toMatch(/\/original\.png$/);

		const large = await upload(user.token, fileOf(corruptPng(2000, 1000)), "v2");
		expect(large.status).toBe(202);
		const { id } = (await large.json()) as MastodonMediaAttachment;
		await runJobs(jobs);
		const done = await api(`/api/v1/media/${id}`, { token: user.token });
		expect(done.status).toBe(200);
		const body = (await done.json()) as MastodonMediaAttachment;
		expectMatchesSchema("GET", "/api/v1/media/{id}", 200, body);
		expect(body).toMatchObject({ blurhash: null, preview_url: body.url });
		expect(body.url).toMatch(/\/original\.png$/);
		expect(warn).toHaveBeenCalled();
	}, 20_000);

	it("gives a photo a JPEG small version from Cloudflare Images", async () => {
		const user = await createTestUser();
		const rgba = new Uint8Array(960 * 640 * 4);
		for (let i = 0; i < rgba.length; i += 65_536) crypto.getRandomValues(rgba.subarray(i, i + 65_536));
		const jpeg = new Uint8Array(encodeJpeg({ width: 960, height: 640, data: rgba }, 92).data);
		const response = await upload(user.token, fileOf(jpeg, "photo.jpg", "image/jpeg"), "v1");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v1/media", 200, body);
		expect(body.blurhash).toHaveLength(36);
		expect(body.preview_url).toMatch(/\/small\.jpg$/);
		expect(body.meta?.small).toEqual({ width: 587, height: 391, size: "587x391", aspect: 587 / 391 });
		const small = await api(new URL(body.preview_url ?? "").pathname);
		expect(small.headers.get("Content-Type")).toBe("image/jpeg");
		const bytes = new Uint8Array(await small.arrayBuffer());
		expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
	}, 30_000);

	it("decodes WebP too", async () => {
		const user = await createTestUser();
		await (initWebpEncoder as unknown as (module: WebAssembly.Module) => Promise<unknown>)(WEBP_ENCODER);
		const rgba = new Uint8ClampedArray(40 * 30 * 4).fill(200);
		const webp = await encodeWebp({ data: rgba, width: 40, height: 30 } as Parameters<typeof encodeWebp>[0]);
		const response = await upload(user.token, fileOf(new Uint8Array(webp), "x.webp", "image/webp"), "v2");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v2/media", 200, body);
		expect(body.blurhash).toHaveLength(36);
		expect(body.meta?.original).toMatchObject({ width: 40, height: 30 });
	});
});
