import { notFound } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { markdownToHtml } from "../../lib/text/markdown";
import { serializeV1Instance } from "../../serializers/mastodon/instance-v1";
import { serializeRule } from "../../serializers/mastodon/rule";
import { instanceDocument } from "../../services/instance/documents";
import { instanceFacts, knownPeers, listRules } from "../../services/instance/facts";
import { domainPolicy, ruleFor } from "../../services/moderation/domain-policy";
import { publicDomainBlocks } from "../../services/moderation/transparency";

/** Public, identical for everyone, and read on every app launch: let caches keep it briefly. */
const SHORT_CACHE = { "Cache-Control": "public, max-age=60" };

export function instanceV1Routes(router: AppRouter): void {
	router.get("/api/v1/instance", async (_request, ctx) =>
		json(serializeV1Instance(ctx.config, await instanceFacts(ctx.db)), { headers: SHORT_CACHE }),
	);

	router.get("/api/v1/instance/rules", async (_request, ctx) =>
		json((await listRules(ctx.db)).map(serializeRule), { headers: SHORT_CACHE }),
	);

	// Servers this one knows, less those it silenced or suspended (as Mastodon leaves them out).
	router.get("/api/v1/instance/peers", async (_request, ctx) => {
		const [peers, policy] = await Promise.all([knownPeers(ctx.db), domainPolicy(ctx)]);
		const shown = peers.filter((domain) => {
			const severity = ruleFor(policy, domain)?.severity;
			return severity !== "silence" && severity !== "suspend";
		});
		return json(shown, { headers: SHORT_CACHE });
	});

	router.get("/api/v1/instance/domain_blocks", async (request, ctx) => {
		const auth = await optionalUser(request, ctx);
		const blocks = await publicDomainBlocks(ctx.db, auth !== null);
		if (!blocks) throw notFound("Domain blocks are not shown on this server");
		return json(blocks, { headers: { "Cache-Control": auth ? "private, no-store" : "public, max-age=60" } });
	});

	// Mastodon's shape: the text as HTML, with when it was last changed (the epoch for the built-in default).
	for (const [path, key] of [
		["privacy_policy", "privacyPolicy"],
		["extended_description", "extendedDescription"],
	] as const) {
		router.get(`/api/v1/instance/${path}`, async (_request, ctx) => {
			const document = await instanceDocument(ctx.db, ctx.config, key);
			return json(
				{ updated_at: (document.updatedAt ?? new Date(0)).toISOString(), content: markdownToHtml(document.text) },
				{ headers: SHORT_CACHE },
			);
		});
	}

	// Translation is off (configuration.translation.enabled is false): no language pairs to offer.
	router.get("/api/v1/instance/translation_languages", () => json({}, { headers: SHORT_CACHE }));

	// Weekly logins cannot be counted (only each user's last sign-in is kept), so this is absent, not made up.
	router.get("/api/v1/instance/activity", () => {
		throw notFound("Instance activity is not recorded on this server");
	});
}
