import type { InstanceConfig } from "../../config";
import type { Account, Status } from "../../db/schema";
import { escapeHtml } from "../../lib/text/html";

/**
 * The page a browser gets at a status URL ("open in browser" in apps). Only
 * public and unlisted posts get one; the content is HTML Tern's formatter made.
 */
export function renderStatusPage(status: Status, author: Account, config: InstanceConfig): Response {
	const handle = `@${author.username}@${config.domain}`;
	const name = author.displayName || author.username;
	const warning = status.spoilerText ? `<p><strong>${escapeHtml(status.spoilerText)}</strong></p>` : "";
	const html = `<!doctype html>
<html lang="${escapeHtml(status.language ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} (${escapeHtml(handle)}) - ${escapeHtml(config.title)}</title>
<link rel="alternate" type="application/activity+json" href="${escapeHtml(status.uri)}">
${author.indexable ? "" : '<meta name="robots" content="noindex, noarchive">'}
</head>
<body>
<main>
<article>
<header><a href="${escapeHtml(author.url ?? author.uri)}">${escapeHtml(name)}</a> ${escapeHtml(handle)}</header>
${warning}
<div>${status.content}</div>
<footer><time datetime="${status.createdAt.toISOString()}">${status.createdAt.toUTCString()}</time></footer>
</article>
</main>
</body>
</html>
`;
	return new Response(html, {
		headers: { "Content-Type": "text/html; charset=utf-8", Vary: "Accept", "Cache-Control": "max-age=60, public" },
	});
}
