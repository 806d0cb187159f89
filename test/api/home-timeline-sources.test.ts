import { describe, expect, it } from "vitest";
import { postJson, postStatus, type StatusJson } from "../helpers/statuses";
import { api, createTestUser, type TestUser } from "../helpers/users";

async function homeIds(user: TestUser): Promise<string[]> {
	const response = await api("/api/v1/timelines/home?limit=40", { token: user.token });
	expect(response.status).toBe(200);
	return ((await response.json()) as StatusJson[]).map((status) => status.id);
}

describe("home timeline sources", () => {
	it("brings public posts with a followed hashtag, but not private ones", async () => {
		const reader = await createTestUser();
		const writer = await createTestUser();
		const tag = `terns${Date.now().toString(36)}`;
		expect((await postJson(`/api/v1/tags/${tag}/follow`, reader.token)).status).toBe(200);
		const shown = await postStatus(writer, { status: `Look at the #${tag}`, visibility: "public" });
		const hidden = await postStatus(writer, { status: `Quietly #${tag}`, visibility: "private" });
		const ids = await homeIds(reader);
		expect(ids).toContain(shown.id);
		expect(ids).not.toContain(hidden.id);
	});

	it("keeps members of an exclusive list out of the home timeline", async () => {
		const reader = await createTestUser();
		const member = await createTestUser();
		expect((await postJson(`/api/v1/accounts/${member.account.id}/follow`, reader.token)).status).toBe(200);
		const before = await postStatus(member, { status: "Before the list" });
		expect(await homeIds(reader)).toContain(before.id);
		const list = (await (
			await postJson("/api/v1/lists", reader.token, { title: "Apart", exclusive: true })
		).json()) as {
			id: string;
		};
		const added = await postJson(`/api/v1/lists/${list.id}/accounts`, reader.token, {
			account_ids: [member.account.id],
		});
		expect(added.status).toBe(200);
		const after = await postStatus(member, { status: "After the list" });
		const home = await homeIds(reader);
		expect(home).not.toContain(after.id);
		expect(home).not.toContain(before.id);
		const listResponse = await api(`/api/v1/timelines/list/${list.id}`, { token: reader.token });
		const listIds = ((await listResponse.json()) as StatusJson[]).map((status) => status.id);
		expect(listIds).toContain(after.id);
	});
});
