import { describe, expect, it } from "vitest";
import { linkHeader, pageQuery } from "./pagination";
import { Params } from "./params";

const URL_BASE = "https://tern.test/api/v1/timelines/home?limit=2";

describe("pageQuery", () => {
	it("clamps the limit like Mastodon", () => {
		expect(pageQuery(new Params({ limit: "500" })).limit).toBe(40);
		expect(pageQuery(new Params({ limit: "0" })).limit).toBe(1);
		expect(pageQuery(new Params({})).limit).toBe(20);
	});
});

describe("linkHeader", () => {
	it("links next to the oldest and prev to the newest item", () => {
		const header = linkHeader(URL_BASE, pageQuery(new Params({ limit: "2" })), ["30", "20"]);
		expect(header).toBe(
			'<https://tern.test/api/v1/timelines/home?limit=2&max_id=20>; rel="next", <https://tern.test/api/v1/timelines/home?limit=2&min_id=30>; rel="prev"',
		);
	});

	it("keeps links on an empty page", () => {
		const older = linkHeader(URL_BASE, pageQuery(new Params({ max_id: "10" })), []);
		expect(older).toContain('max_id=10>; rel="next"');
		const newer = linkHeader(URL_BASE, pageQuery(new Params({ min_id: "50" })), []);
		expect(newer).toBe('<https://tern.test/api/v1/timelines/home?limit=2&min_id=50>; rel="prev"');
	});

	it("has nothing to link for an empty first page", () => {
		expect(linkHeader(URL_BASE, pageQuery(new Params({})), [])).toBeUndefined();
	});
});
