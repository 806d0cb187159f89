import type { InstanceConfig } from "../../config";
import type { Account } from "../../db/schema";
import { escapeHtml, htmlToPlainText } from "../../lib/text/html";

/**
 * The small server-rendered page a browser gets for a local account: the
 * profile as text, with a pointer to the ActivityPub actor for machines.
 * The bio is HTML Tern rendered itself from plain text; field values are
 * shown as text whatever markup they hold.
 */
export function renderProfilePage(account: Account, config: InstanceConfig): Response {
	const handle = `@${account.username}@${config.domain}`;
	const name = account.displayName || account.username;
	const avatar = account.avatarUrl
		? `<img src="${escapeHtml(account.avatarUrl)}" alt="${escapeHtml(account.avatarDescription)}" width="96" height="96">`
		: "";
	const fields = account.fields
		.map((field) => `<dt>${escapeHtml(field.name)}</dt><dd>${escapeHtml(htmlToPlainText(field.value))}</dd>`)
		.join("");
	const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name)} (${escapeHtml(handle)}) - ${escapeHtml(config.title)}</title>
<link rel="alternate" type="application/activity+json" href="${escapeHtml(account.uri)}">
${account.indexable ? "" : '<meta name="robots" content="noindex, noarchive">'}
</head>
<body>
<main>
${avatar}
<h1>${escapeHtml(name)}</h1>
<p>${escapeHtml(handle)}</p>
<section>${account.noteHtml}</section>
${fields ? `<dl>${fields}</dl>` : ""}
<p>Follow this account from any Mastodon-compatible app by searching for ${escapeHtml(handle)}.</p>
</main>
</body>
</html>
`;
	return new Response(html, {
		headers: { "Content-Type": "text/html; charset=utf-8", Vary: "Accept", "Cache-Control": "max-age=60, public" },
	});
}
