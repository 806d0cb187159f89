import type { ServiceContext } from "../context";
import { outboundFetch } from "./fetch";

const SUBSCRIBE_REL = "http://ostatus.org/schema/1.0/subscribe";
const HANDLE = /^@?([^@\s/]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i;
const DOMAIN = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost)(?::\d{1,5})?$/i;

/**
 * Where to send a visitor who wants to follow or answer `uri` from their own
 * server: the subscribe template their server publishes in WebFinger (what
 * Mastodon's "interact" dialog uses), or Mastodon's `/authorize_interaction`
 * when only a server was given or the lookup fails. Undefined when the input
 * is neither a handle nor a host name.
 */
export async function remoteInteractionUrl(
	ctx: ServiceContext,
	input: string,
	uri: string,
): Promise<string | undefined> {
	const value = input
		.trim()
		.replace(/^https?:\/\//, "")
		.replace(/\/$/, "");
	const handle = HANDLE.exec(value);
	const domain = (handle ? handle[2] : value)?.toLowerCase();
	if (!domain || !DOMAIN.test(domain)) return undefined;
	const scheme = ctx.config.origin.startsWith("http:") ? "http" : "https";
	const fallback = `${scheme}://${domain}/authorize_interaction?uri=${encodeURIComponent(uri)}`;
	if (!handle) return fallback;
	try {
		const resource = `acct:${handle[1]}@${domain}`;
		const response = await outboundFetch(
			ctx,
			`${scheme}://${domain}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
			{
				signAs: false,
				headers: { Accept: "application/jrd+json, application/json" },
				maxBytes: 64 * 1024,
				timeoutMs: 5000,
			},
		);
		if (response.status !== 200) return fallback;
		const jrd = JSON.parse(response.text()) as { links?: { rel?: unknown; template?: unknown }[] };
		const template = jrd.links?.find((link) => link.rel === SUBSCRIBE_REL)?.template;
		if (typeof template !== "string" || !template.includes("{uri}")) return fallback;
		const url = new URL(template.replace("{uri}", encodeURIComponent(uri)));
		return url.protocol === "https:" || url.protocol === "http:" ? url.href : fallback;
	} catch {
		return fallback;
	}
}
