import { follows, mediaAttachments, type Visibility } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { api, db, type TestUser } from "./users";

export interface StatusJson {
	id: string;
	content: string;
	visibility: Visibility;
	reblog: StatusJson | null;
	[key: string]: unknown;
}

export async function postJson(
	path: string,
	token: string,
	body: unknown = {},
	method = "POST",
	headers: Record<string, string> = {},
): Promise<Response> {
	return api(path, {
		method,
		token,
		headers: { "Content-Type": "application/json", ...headers },
		body: JSON.stringify(body),
	});
}

/** Posts a status and returns its JSON; fails the test on anything but 200. */
export async function postStatus(user: TestUser, body: Record<string, unknown>): Promise<StatusJson> {
	const response = await postJson("/api/v1/statuses", user.token, body);
	if (response.status !== 200) throw new Error(`POST /api/v1/statuses: ${response.status} ${await response.text()}`);
	return (await response.json()) as StatusJson;
}

/** `follower` follows `target`, written directly (the follow API belongs elsewhere). */
export async function follow(follower: TestUser, target: TestUser, options: { showReblogs?: boolean } = {}) {
	await db()
		.insert(follows)
		.values({
			id: newId(),
			accountId: follower.account.id,
			targetAccountId: target.account.id,
			showReblogs: options.showReblogs ?? true,
			createdAt: new Date(),
		});
}

/** An uploaded, not yet attached image of `user`, written directly (uploads belong elsewhere). */
export async function uploadedMedia(user: TestUser, description = "a tern"): Promise<string> {
	const id = newId();
	await db()
		.insert(mediaAttachments)
		.values({
			id,
			accountId: user.account.id,
			type: "image",
			fileKey: `media/${id}.png`,
			contentType: "image/png",
			width: 640,
			height: 480,
			description,
			createdAt: new Date(),
		});
	return id;
}

export async function getJson<T = unknown>(
	path: string,
	token?: string,
): Promise<{ status: number; body: T; response: Response }> {
	const response = await api(path, token ? { token } : {});
	return { status: response.status, body: (await response.json()) as T, response };
}
