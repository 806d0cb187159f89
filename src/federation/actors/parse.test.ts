import { describe, expect, it } from "vitest";
import relay from "../../../test/fixtures/activitypub/activityrelay__actor__application.json";
import bridgy from "../../../test/fixtures/activitypub/bridgy-fed__actor__service-bsky.json";
import tagRelay from "../../../test/fixtures/activitypub/fedibuzz__actor__service-tag-relay.json";
import friendica from "../../../test/fixtures/activitypub/friendica__actor__organization.json";
import gtsEmoji from "../../../test/fixtures/activitypub/gotosocial__actor__person-emoji.json";
import gtsFields from "../../../test/fixtures/activitypub/gotosocial__actor__person-fields.json";
import guppe from "../../../test/fixtures/activitypub/guppe__actor__group.json";
import lemmyGroup from "../../../test/fixtures/activitypub/lemmy__actor__group-live.json";
import lemmy from "../../../test/fixtures/activitypub/lemmy__actor__person.json";
import mastodonApp from "../../../test/fixtures/activitypub/mastodon__actor__application-instance.json";
import gargron from "../../../test/fixtures/activitypub/mastodon__actor__person-gargron.json";
import mbin from "../../../test/fixtures/activitypub/mbin__actor__application.json";
import misskey from "../../../test/fixtures/activitypub/misskey__actor__person-syuilo.json";
import mitra from "../../../test/fixtures/activitypub/mitra__actor__person-multikey.json";
import oeee from "../../../test/fixtures/activitypub/oeee-cafe__actor__person-minimal.json";
import peertube from "../../../test/fixtures/activitypub/peertube__actor__group-channel.json";
import pleroma from "../../../test/fixtures/activitypub/pleroma__actor__person.json";
import pleromaTemplate from "../../../test/fixtures/activitypub/pleroma__actor__person-webfinger.json";
import smithereen from "../../../test/fixtures/activitypub/smithereen__actor__person.json";
import streams from "../../../test/fixtures/activitypub/streams__actor__person-nomad.json";
import { ActorParseError, parseActor } from "./parse";

describe("parseActor on real actors", () => {
	it("Mastodon: fields, aliases, icon and image, shared inbox in endpoints", () => {
		const actor = parseActor(gargron);
		expect(actor).toMatchObject({
			uri: "https://mastodon.social/users/Gargron",
			type: "Person",
			username: "Gargron",
			url: "https://mastodon.social/@Gargron",
			inbox: "https://mastodon.social/users/Gargron/inbox",
			sharedInbox: "https://mastodon.social/inbox",
			featured: "https://mastodon.social/users/Gargron/collections/featured",
			alsoKnownAs: ["https://tooting.ai/users/Gargron"],
			discoverable: true,
		});
		expect(actor.fields).toHaveLength(2);
		expect(actor.avatarUrl).toMatch(/^https:\/\/files\.mastodon\.social\/accounts\/avatars\//);
		expect(actor.headerUrl).toMatch(/^https:\/\//);
		expect(actor.keys).toEqual([
			expect.objectContaining({ keyId: "https://mastodon.social/users/Gargron#main-key", type: "rsa" }),
		]);
	});

	it("Misskey: sharedInbox at the top level too, emoji tags", () => {
		const actor = parseActor(misskey);
		expect(actor.sharedInbox).toBe("https://misskey.io/inbox");
		expect(actor.username).toBe("syuilo");
		expect(actor.avatarUrl).toMatch(/^https:\/\/media\.misskeyusercontent\.com\//);
		expect(actor.keys[0]?.keyId).toBe("https://misskey.io/users/7rkrarq81i#main-key");
	});

	it("GoToSocial: PropertyValue fields and emoji", () => {
		const fields = parseActor(gtsFields);
		expect(fields.fields.map((f) => f.name)).toHaveLength(2);
		expect(fields.sharedInbox).toBeNull();
		const emoji = parseActor(gtsEmoji);
		expect(emoji.emojis.length).toBeGreaterThan(0);
	});

	it("Mitra: Ed25519 Multikey in assertionMethod beside the RSA key; RSA multikey skipped", () => {
		const actor = parseActor(mitra);
		expect(actor.keys).toEqual([
			expect.objectContaining({ keyId: "https://wizard.casa/users/hongminhee#main-key", type: "rsa" }),
			{
				keyId: "https://wizard.casa/users/hongminhee#ed25519-key",
				type: "ed25519",
				publicKey: "z6MkweqJajqa5jRAJTBVxxu47oCdB7HzmYbBKN8VGbFJmKkC",
			},
		]);
		expect(actor.manuallyApprovesFollowers).toBe(true);
	});

	it("Bridgy Fed: icon and url as arrays, Service is a bot", () => {
		const actor = parseActor(bridgy);
		expect(actor.type).toBe("Service");
		expect(actor.avatarUrl).toBe("https://fed.brid.gy/static/bridgy_logo_square.jpg");
		expect(actor.url).toBe("https://bsky.brid.gy/");
	});

	it("PeerTube: a channel Group with an icon list", () => {
		const actor = parseActor(peertube);
		expect(actor.type).toBe("Group");
		expect(actor.sharedInbox).toBe("https://tilvids.com/inbox");
		expect(actor.avatarUrl).toMatch(/^https:\/\/tilvids\.com\//);
	});

	it("Pleroma: extra endpoints, empty attachment", () => {
		const actor = parseActor(pleroma);
		expect(actor.sharedInbox).toBe("https://queer.hacktivis.me/inbox");
		expect(actor.fields).toEqual([]);
	});

	it("Lemmy: no @context, no url", () => {
		const actor = parseActor(lemmy);
		expect(actor.username).toBe("picard");
		expect(actor.url).toBeNull();
		expect(parseActor(lemmyGroup).type).toBe("Group");
	});

	it.each([
		["friendica", friendica],
		["guppe", guppe],
		["mbin", mbin],
		["activityrelay", relay],
		["fedibuzz", tagRelay],
		["oeee-cafe", oeee],
		["smithereen", smithereen],
		["streams", streams],
	])("%s parses with an inbox and a key", (_name, document) => {
		const actor = parseActor(document);
		expect(actor.inbox).toMatch(/^https?:\/\//);
		expect(actor.keys.length).toBeGreaterThan(0);
	});

	it("rejects unrendered templates and non-actors", () => {
		expect(() => parseActor(mastodonApp)).toThrow(ActorParseError);
		expect(() => parseActor(pleromaTemplate)).toThrow(ActorParseError);
		expect(() =>
			parseActor({ id: "https://a.example/notes/1", type: "Note", inbox: "https://a.example/inbox" }),
		).toThrow(/actor type/);
		expect(() => parseActor({ id: "https://a.example/u/a", type: "Person", preferredUsername: "a" })).toThrow(/inbox/);
	});

	it("ignores keys owned by another actor or hosted elsewhere", () => {
		const actor = parseActor({
			...gargron,
			publicKey: [
				{ ...gargron.publicKey, owner: "https://mastodon.social/users/someoneelse" },
				{ ...gargron.publicKey, id: "https://evil.example/key" },
			],
		});
		expect(actor.keys).toEqual([]);
	});

	it("rejects a document whose id is not the expected one", () => {
		expect(() => parseActor(gargron, "https://mastodon.social/users/other")).toThrow(ActorParseError);
	});
});
