import { describe, expect, it } from "vitest";
import {
	type DomainPolicy,
	domainAndParents,
	normalizeDomain,
	refusesHost,
	rejectsMedia,
	ruleFor,
} from "./domain-policy";

const rule = (domain: string, severity: "silence" | "suspend" | "noop", rejectMedia = false) => ({
	id: domain,
	domain,
	severity,
	rejectMedia,
	rejectReports: false,
	createdAt: new Date(0),
});

function policy(rules: ReturnType<typeof rule>[], allowed: string[] = [], limited = false): DomainPolicy {
	return { rules: new Map(rules.map((r) => [r.domain, r])), allowed: new Set(allowed), limited };
}

describe("domain names as blocks store them", () => {
	it("keeps the host, lowercased and in punycode, without scheme, port, path or trailing dot", () => {
		expect(normalizeDomain("  HTTPS://Example.COM:8443/users/x ")).toBe("example.com");
		expect(normalizeDomain("example.com.")).toBe("example.com");
		expect(normalizeDomain("bücher.example")).toBe("xn--bcher-kva.example");
		for (const bad of ["", "two words", "*.example", "a..b", "user@example.com"])
			expect(normalizeDomain(bad)).toBeNull();
	});

	it("lists a host and its parents, most specific first, ports dropped", () => {
		expect(domainAndParents("a.b.example:8080")).toEqual(["a.b.example", "b.example", "example"]);
	});
});

describe("the policy", () => {
	const blocks = policy([
		rule("bad.example", "suspend"),
		rule("quiet.example", "silence", true),
		rule("pics.example", "noop", true),
	]);

	it("applies a parent's block to its subdomains, and the closest block wins", () => {
		expect(ruleFor(blocks, "social.bad.example")?.domain).toBe("bad.example");
		expect(ruleFor(policy([rule("example", "suspend"), rule("ok.example", "noop")]), "x.ok.example")?.domain).toBe(
			"ok.example",
		);
		expect(ruleFor(blocks, "notbad.example")).toBeUndefined();
	});

	it("refuses suspended hosts only, never this server's own", () => {
		expect(refusesHost(blocks, "bad.example:8443")).toBe(true);
		expect(refusesHost(blocks, "quiet.example")).toBe(false);
		expect(refusesHost(blocks, "bad.example", "bad.example")).toBe(false);
	});

	it("in limited federation, refuses whatever is not allowed", () => {
		const limited = policy([], ["friends.example"], true);
		expect(refusesHost(limited, "www.friends.example")).toBe(false);
		expect(refusesHost(limited, "stranger.example")).toBe(true);
	});

	it("rejects media of suspended domains and of those blocked with reject_media", () => {
		expect([
			rejectsMedia(blocks, "bad.example"),
			rejectsMedia(blocks, "pics.example"),
			rejectsMedia(blocks, null),
		]).toEqual([true, true, false]);
	});
});
