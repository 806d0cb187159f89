import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// The same checks `npm run lint` runs.
import { houseRuleBreaches } from "../../scripts/check-layers.mjs";

const ROOT = resolve(import.meta.dirname, "../..");

describe("the house", () => {
	it("keeps services in domain folders, layers one-way and imports free of cycles", () => {
		expect(houseRuleBreaches()).toEqual([]);
	});

	it("names in docs/architecture.md only paths that exist", () => {
		const text = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
		const paths = [...text.matchAll(/`((?:src|test|scripts|docs|migrations|bench)\/[\w./-]*)`/g)].map(
			(match) => match[1] as string,
		);
		expect(paths.length).toBeGreaterThan(50);
		expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
	});
});
