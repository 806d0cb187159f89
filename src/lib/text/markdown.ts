import { escapeHtml } from "./html";

/**
 * The small Markdown an admin writes for the about page and the privacy
 * policy, as HTML: `#`–`###` headings, paragraphs, `-`/`*` and `1.` lists,
 * **bold**, *italic*, `code`, [links](https://…) and bare http(s) URLs.
 * Everything is escaped first, so no markup in the text survives as markup.
 */
export function markdownToHtml(text: string): string {
	const blocks = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
	const out: string[] = [];
	for (const block of blocks) {
		const lines = block.split("\n").filter((line) => line.trim() !== "");
		if (lines.length === 0) continue;
		const heading = /^(#{1,3})\s+(.*)$/.exec(lines[0] as string);
		if (heading && lines.length === 1) {
			const level = (heading[1] as string).length + 1; // the page's own title is the h1
			out.push(`<h${level}>${inline(heading[2] as string)}</h${level}>`);
			continue;
		}
		if (lines.every((line) => /^\s*[-*]\s+/.test(line))) {
			out.push(`<ul>${lines.map((line) => `<li>${inline(line.replace(/^\s*[-*]\s+/, ""))}</li>`).join("")}</ul>`);
			continue;
		}
		if (lines.every((line) => /^\s*\d+[.)]\s+/.test(line))) {
			out.push(`<ol>${lines.map((line) => `<li>${inline(line.replace(/^\s*\d+[.)]\s+/, ""))}</li>`).join("")}</ol>`);
			continue;
		}
		out.push(`<p>${lines.map(inline).join("<br>")}</p>`);
	}
	return out.join("\n");
}

const LINK = /\[([^\]]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)|(https?:\/\/[^\s<]+[^\s<.,;:!?)'"])/g;

function inline(raw: string): string {
	let out = "";
	let last = 0;
	for (const match of raw.matchAll(LINK)) {
		out += emphasis(escapeHtml(raw.slice(last, match.index)));
		const href = (match[2] ?? match[3]) as string;
		const label = match[1] ?? href;
		out += `<a href="${escapeHtml(href)}" rel="nofollow noopener">${emphasis(escapeHtml(label))}</a>`;
		last = (match.index ?? 0) + match[0].length;
	}
	return out + emphasis(escapeHtml(raw.slice(last)));
}

function emphasis(escaped: string): string {
	return escaped
		.replace(/`([^`]+)`/g, "<code>$1</code>")
		.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
		.replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, "$1<em>$2</em>");
}
