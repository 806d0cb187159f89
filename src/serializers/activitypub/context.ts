/** JSON-LD contexts of the documents Tern serves, with the extension terms Mastodon defines. */
export const ACTIVITYSTREAMS = "https://www.w3.org/ns/activitystreams";
export const PUBLIC_COLLECTION = "https://www.w3.org/ns/activitystreams#Public";

export const ACTOR_CONTEXT = [
	ACTIVITYSTREAMS,
	"https://w3id.org/security/v1",
	"https://w3id.org/security/multikey/v1",
	{
		manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
		toot: "http://joinmastodon.org/ns#",
		featured: { "@id": "toot:featured", "@type": "@id" },
		featuredTags: { "@id": "toot:featuredTags", "@type": "@id" },
		alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
		movedTo: { "@id": "as:movedTo", "@type": "@id" },
		schema: "http://schema.org#",
		PropertyValue: "schema:PropertyValue",
		value: "schema:value",
		discoverable: "toot:discoverable",
		suspended: "toot:suspended",
		memorial: "toot:memorial",
		indexable: "toot:indexable",
		Emoji: "toot:Emoji",
	},
] as const;

export const HASHTAG_CONTEXT = [ACTIVITYSTREAMS, { Hashtag: "as:Hashtag" }] as const;

export const NOTE_CONTEXT = [
	ACTIVITYSTREAMS,
	{
		ostatus: "http://ostatus.org#",
		conversation: "ostatus:conversation",
		sensitive: "as:sensitive",
		toot: "http://joinmastodon.org/ns#",
		votersCount: "toot:votersCount",
		blurhash: "toot:blurhash",
		focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
		Hashtag: "as:Hashtag",
		Emoji: "toot:Emoji",
	},
] as const;
