import { describe, expect, it } from "vitest";
import { countD1 } from "../helpers/d1-counter";
import { favourite, post } from "../helpers/posts";
import { api, createTestUser, type TestUser } from "../helpers/users";

const request = (path: string, user: TestUser, method = "GET") =>
	new Request(`https://tern.test${path}`, { method, headers: { Authorization: `Bearer ${user.token}` } });

/** The budget is ten D1 round trips per request whatever the page size. */
describe("D1 round trips per request", () => {
	it("stays within budget for relationships, follows, notifications and lists of accounts", async () => {
		const me = await createTestUser();
		const others: TestUser[] = [];
		for (let i = 0; i < 6; i++) others.push(await createTestUser());
		for (const other of others) {
			await api(`/api/v1/accounts/${me.account.id}/follow`, { method: "POST", token: other.token });
			await favourite(other.account, await post(me.account, `post ${other.account.username}`));
		}
		const ids = others.map((o) => `id[]=${o.account.id}`).join("&");
		const cases: [string, string, string][] = [
			["GET", `/api/v1/accounts/relationships?${ids}`, "relationships"],
			["POST", `/api/v1/accounts/${others[0]?.account.id}/follow`, "follow"],
			["GET", `/api/v1/accounts/${me.account.id}/followers`, "followers"],
			["GET", "/api/v1/notifications", "notifications"],
			["GET", "/api/v2/notifications", "grouped notifications"],
			["GET", `/api/v1/accounts/${me.account.id}/statuses`, "account statuses"],
		];
		for (const [method, path, name] of cases) {
			const { response, counts } = await countD1(request(path, me, method));
			expect(response.status, name).toBe(200);
			expect(counts.roundTrips, name).toBeLessThanOrEqual(10);
			console.log(`${name}: ${counts.roundTrips} round trips, ${counts.statements} statements`);
		}
	});
});
