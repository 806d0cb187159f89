import { describe, expect, it } from "vitest";
import { addRule } from "../../src/services/instance/facts";
import { accountScope, readPageVersions } from "../../src/services/instance/page-versions";
import { writeInstanceSettings } from "../../src/services/instance/settings";
import { postStatus } from "../helpers/statuses";
import { createTestUser, db } from "../helpers/users";

describe("page version triggers", () => {
	it("raise settings on settings and rules changes", async () => {
		const before = await readPageVersions(db(), ["settings"]);
		await writeInstanceSettings(db(), { title: "Changed" });
		const afterSetting = await readPageVersions(db(), ["settings"]);
		expect(afterSetting).not.toBe(before);
		await addRule(db(), "Be kind");
		expect(await readPageVersions(db(), ["settings"])).not.toBe(afterSetting);
	});

	it("raise an account's and the posts' counters when it posts", async () => {
		const user = await createTestUser();
		const scopes = [accountScope(user.account.username, null), "posts"] as const;
		const before = await readPageVersions(db(), scopes);
		await postStatus(user, { status: "hello" });
		const after = await readPageVersions(db(), scopes);
		const [a0, p0] = before.split(".").map(Number);
		const [a1, p1] = after.split(".").map(Number);
		expect(a1).toBeGreaterThan(a0 as number);
		expect(p1).toBeGreaterThan(p0 as number);
	});
});
