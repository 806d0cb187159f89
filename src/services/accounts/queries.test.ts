import { describe, expect, it } from "vitest";
import type { InstanceConfig } from "../../config";
import { parseAcct } from "./queries";

const config = { domain: "tern.test" } as InstanceConfig;

describe("parseAcct", () => {
	it("reads local and remote forms, treating this domain as local", () => {
		expect(parseAcct("alice", config)).toEqual({ username: "alice", domain: null });
		expect(parseAcct("@alice@tern.test", config)).toEqual({ username: "alice", domain: null });
		expect(parseAcct("bob@Mastodon.Example", config)).toEqual({ username: "bob", domain: "mastodon.example" });
	});

	it("refuses what cannot be an acct", () => {
		expect(parseAcct("", config)).toBeNull();
		expect(parseAcct("a@b@c", config)).toBeNull();
		expect(parseAcct("two words", config)).toBeNull();
	});
});
