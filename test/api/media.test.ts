import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mediaAttachments } from "../../src/db/schema";
import type { MastodonMediaAttachment } from "../../src/serializers/mastodon/entities";
import { pngFile } from "../helpers/images";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser, db } from "../helpers/users";

function upload(token: string, file: File, extra: Record<string, string> = {}, version = "v2") {
	const form = new FormData();
	form.set("file", file);
	for (const [k, v] of Object.entries(extra)) form.set(k, v);
	return api(`/api/${version}/media`, { method: "POST", token, body: form });
}

describe("media uploads", () => {
	it("stores an image, reads its size from the header, and serves it", async () => {
		const user = await createTestUser();
		const response = await upload(user.token, pngFile(), { description: "A tiny picture", focus: "0.5,-0.25" });
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v2/media", 200, body);
		expect(body).toMatchObject({
			type: "image",
			description: "A tiny picture",
			meta: { original: { width: 3, height: 2, size: "3x2", aspect: 1.5 }, focus: { x: 0.5, y: -0.25 } },
		});
		const file = await api(new URL(body.url ?? "").pathname);
		expect(file.status).toBe(200);
		expect(file.headers.get("Content-Type")).toBe("image/png");

		const v1 = await upload(user.token, pngFile(), {}, "v1");
		expect(v1.status).toBe(200);
		expectMatchesSchema("POST", "/api/v1/media", 200, await v1.json());
	});

	it("gets, updates and deletes the uploader's unattached media", async () => {
		const user = await createTestUser();
		const other = await createTestUser();
		const { id } = (await (await upload(user.token, pngFile())).json()) as { id: string };
		const got = await api(`/api/v1/media/${id}`, { token: user.token });
		expect(got.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/media/{id}", 200, await got.json());
		expect((await api(`/api/v1/media/${id}`, { token: other.token })).status).toBe(404);

		const put = await api(`/api/v1/media/${id}`, {
			method: "PUT",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ description: "Now described", focus: "-1,1" }),
		});
		expect(put.status).toBe(200);
		const putBody = (await put.json()) as MastodonMediaAttachment;
		expectMatchesSchema("PUT", "/api/v1/media/{id}", 200, putBody);
		expect(putBody.description).toBe("Now described");
		expect(putBody.meta?.focus).toEqual({ x: -1, y: 1 });

		const badFocus = await api(`/api/v1/media/${id}`, {
			method: "PUT",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ focus: "2,0" }),
		});
		expect(badFocus.status).toBe(422);

		expect((await api(`/api/v1/media/${id}`, { method: "DELETE", token: other.token })).status).toBe(404);
		const deleted = await api(`/api/v1/media/${id}`, { method: "DELETE", token: user.token });
		expect(deleted.status).toBe(200);
		expect((await api(`/api/v1/media/${id}`, { token: user.token })).status).toBe(404);
	});

	it("refuses to delete media attached to a post", async () => {
		const user = await createTestUser();
		const { id } = (await (await upload(user.token, pngFile())).json()) as { id: string };
		await db().update(mediaAttachments).set({ statusId: "123" }).where(eq(mediaAttachments.id, id));
		expect((await api(`/api/v1/media/${id}`, { method: "DELETE", token: user.token })).status).toBe(422);
	});

	it("refuses files that are not what they claim, missing files, and tokens without write:media", async () => {
		const user = await createTestUser();
		const fake = await upload(user.token, new File(["<html>"], "x.png", { type: "image/png" }));
		expect(fake.status).toBe(422);
		const svg = await upload(user.token, new File(["<svg/>"], "x.svg", { type: "image/svg+xml" }));
		expect(svg.status).toBe(422);
		const none = await api("/api/v2/media", { method: "POST", token: user.token, body: new FormData() });
		expect(none.status).toBe(422);
		const reader = await createTestUser({ scopes: "read" });
		expect((await upload(reader.token, pngFile())).status).toBe(403);
	});

	it("takes audio and video by their declared type", async () => {
		const user = await createTestUser();
		const response = await upload(user.token, new File([new Uint8Array(64)], "clip.mp4", { type: "video/mp4" }));
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonMediaAttachment;
		expectMatchesSchema("POST", "/api/v2/media", 200, body);
		expect(body.type).toBe("video");
		expect(body.preview_url).toBeNull();
		expect(body.blurhash).toBeNull();
	});
});
