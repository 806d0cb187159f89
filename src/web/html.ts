import { escapeHtml } from "../lib/text/html";

/** A fragment of HTML that is already safe to insert. */
export class SafeHtml {
	constructor(readonly value: string) {}
	toString(): string {
		return this.value;
	}
}

/** Tagged template that escapes every interpolated value unless it is SafeHtml (or a list of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
	let out = strings[0] ?? "";
	values.forEach((value, i) => {
		out += render(value) + (strings[i + 1] ?? "");
	});
	return new SafeHtml(out);
}

function render(value: unknown): string {
	if (value instanceof SafeHtml) return value.value;
	if (Array.isArray(value)) return value.map(render).join("");
	if (value === undefined || value === null || value === false) return "";
	return escapeHtml(String(value));
}

/**
 * HTML that Tern made or sanitized itself (post content, bios): trusted as
 * markup. Only ever pass it stored content that went through the status
 * formatter or the remote-HTML sanitizer.
 */
export function trustedHtml(value: string): SafeHtml {
	return new SafeHtml(value);
}

/**
 * The one stylesheet: the narrow column for forms (sign-in, settings) and the
 * wide one for public pages. Light and dark follow the reader's system.
 */
const STYLE = `
:root{--bg:#f4f5f7;--fg:#1b1d21;--card:#fff;--muted:#5b6270;--line:#dde0e6;--accent:#2b5fd9;--accent-fg:#fff;--warn:#8a5a00}
@media (prefers-color-scheme:dark){:root{--bg:#17191d;--fg:#e6e8ec;--card:#212429;--muted:#a3a9b5;--line:#363a42;--accent:#8fb0ff;--accent-fg:#10131a;--warn:#f0c060}}
body{font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg);margin:0;padding:0 1rem 2rem}
a{color:var(--accent)}img{max-width:100%}
header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;max-width:44rem;margin:0 auto;padding:.8rem 0}
header.site .home{font-weight:700;font-size:1.1rem;text-decoration:none;color:var(--fg)}header.site nav a{margin-left:1rem}
footer.site{max-width:44rem;margin:2rem auto 0;color:var(--muted);font-size:.9rem;text-align:center}
main{margin:0 auto;background:var(--card);border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 3px #0002}
main.narrow{max-width:26rem}main.wide{max-width:40rem;padding:1.5rem}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=email],input[type=password],input[type=text],input[type=url],input[type=file],textarea,select{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid var(--line);border-radius:4px;font:inherit;background:var(--card);color:var(--fg)}
label.check{font-weight:400}label.check input{margin-right:.4rem}
button,.button{display:inline-block;font:inherit;padding:.55rem 1.1rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer;margin:1rem .5rem 0 0;text-decoration:none}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}button.small{padding:.2rem .6rem;margin:0}
.error{color:#b00020;font-weight:600}.notice,.muted{color:var(--muted)}.ok{color:#14804a;font-weight:600}
code.grant{display:block;word-break:break-all;font-size:1.1rem;background:#8881;padding:.8rem;border-radius:4px}
.lede{font-size:1.1rem}.stats{display:flex;gap:1.5rem;flex-wrap:wrap;padding:0;list-style:none}.stats strong{display:block;font-size:1.2rem}
.profile .banner{display:block;width:100%;aspect-ratio:3/1;object-fit:cover;border-radius:6px;background:var(--line)}
.profile .avatar{width:96px;height:96px;border-radius:12px;border:3px solid var(--card);margin-top:-48px;margin-left:1rem;background:var(--line)}
.profile .handle{color:var(--muted);margin-top:-.8rem;word-break:break-all}
dl.fields{display:grid;grid-template-columns:minmax(6rem,30%) 1fr;border:1px solid var(--line);border-radius:6px;overflow:hidden}
dl.fields dt,dl.fields dd{margin:0;padding:.4rem .6rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
dl.fields dt{font-weight:600;color:var(--muted)}dl.fields .verified{background:#14804a1a}dl.fields .verified a{color:#14804a}
img.emoji{height:1.2em;width:1.2em;vertical-align:middle;object-fit:contain;margin:0}
article.post{border-top:1px solid var(--line);padding:1rem 0}article.post.focus{font-size:1.1rem}
article.post header{display:flex;gap:.6rem;align-items:center}article.post header img{width:44px;height:44px;border-radius:8px}
article.post header .who{line-height:1.25}article.post header .who small{color:var(--muted);word-break:break-all}
article.post .content{overflow-wrap:anywhere}article.post .content p{margin:.5rem 0}
article.post .invisible{font-size:0;line-height:0;display:inline-block;width:0;height:0;position:absolute}
article.post .ellipsis::after{content:"…"}
article.post footer{color:var(--muted);font-size:.9rem;display:flex;gap:1rem;flex-wrap:wrap}
details.cw summary{cursor:pointer;font-weight:600}details.cw summary span{color:var(--warn);font-weight:400;margin-left:.5rem}
.media{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.4rem;margin:.6rem 0}
.media figure{margin:0}.media img,.media video{width:100%;border-radius:6px;background:var(--line)}
.media figcaption{font-size:.85rem;color:var(--muted)}
.poll ul{list-style:none;padding:0}.poll li{margin:.4rem 0}.poll .bar{display:block;height:.4rem;border-radius:2px;background:var(--accent);min-width:2px}
.pager{display:flex;justify-content:space-between;margin-top:1rem}
form.inline{display:inline}table.list{width:100%;border-collapse:collapse}table.list td,table.list th{text-align:left;padding:.4rem;border-bottom:1px solid var(--line);vertical-align:top}
nav.tabs{display:flex;flex-wrap:wrap;gap:.8rem;margin-bottom:1rem}nav.tabs a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
.qr svg{width:12rem;height:12rem;background:#fff;padding:.5rem}ol.codes{columns:2;font-family:monospace}
ul.scopes li{margin:.2rem 0}
/* Admin console (src/web/admin/): wider pages, tables that scroll on a phone, inline forms. */
main:has(.admin){max-width:64rem;padding:1rem 1.2rem}
.admin-nav{display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center;border-bottom:1px solid var(--line);padding-bottom:.6rem;margin-bottom:.8rem}
.admin-nav a{text-decoration:none;color:var(--accent)}.admin-nav a[aria-current]{font-weight:700;color:var(--fg)}
.admin h2{font-size:1.15rem;margin-top:1.6rem}.admin h3{font-size:1rem}
.admin .flash{background:#14804a1a;border:1px solid #14804a66;padding:.5rem .8rem;border-radius:4px}
.admin form.inline{display:inline}.admin form.inline button,.admin .actions button{margin:.2rem .3rem .2rem 0}
.admin .inline-form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end;margin:.6rem 0}.admin .inline-form label{margin:0}
.admin .inline-form input[type=text]{width:auto;flex:1 1 12rem}.admin .inline-form button{margin:0}
.admin .stack{max-width:36rem}.admin select,.admin input[type=file],.admin input[type=datetime-local]{font:inherit;padding:.4rem;max-width:100%}
.admin label.check{font-weight:400}.admin button.link{background:none;border:none;color:var(--accent);padding:0;margin:0}
.admin button.danger{background:#b00020;border-color:#b00020}
.admin .table-wrap{overflow-x:auto}.admin table{border-collapse:collapse;width:100%;font-size:.92rem}
.admin th,.admin td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.admin tr.skip td{color:var(--muted)}.admin .badge{font-size:.75rem;background:#8882;border-radius:3px;padding:0 .3rem}
.admin ul.tiles{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem}
.admin ul.tiles li{background:var(--bg);border-radius:6px;padding:.6rem}.admin .tiles .value{display:block;font-size:1.4rem;font-weight:700}
.admin .tiles .label{color:var(--muted);font-size:.85rem}.admin dl.facts dt{font-weight:600;margin-top:.5rem}.admin dl.facts dd{margin-left:0}
.admin article.post{border-left:3px solid var(--line);padding:.2rem .8rem;margin:.8rem 0}.admin article.gone{border-color:#b00020}
.admin code{overflow-wrap:anywhere}.admin .meta{color:var(--muted);font-size:.85rem}.admin ul.queue{list-style:none;padding:0}.admin ul.queue li{border-bottom:1px solid var(--line);padding:.5rem 0}
@media (max-width:40rem){body{padding:.5rem}main:has(.admin){padding:.8rem}}
/* Setup (setup-pages.ts): section headings and the radio choices of who can sign up. */
main h2{font-size:1.1rem;margin:1.5rem 0 0}fieldset{border:0;padding:0;margin:.8rem 0 0}legend{font-weight:600;padding:0}
label.choice{font-weight:400;margin:.3rem 0}`;

/** Headers every server-rendered page gets: no framing (clickjacking on the consent form), no caching. */
export const PAGE_HEADERS = {
	"Content-Type": "text/html; charset=utf-8",
	"Cache-Control": "no-store",
	"X-Frame-Options": "DENY",
	"Content-Security-Policy":
		"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; manifest-src 'self'; frame-ancestors 'none'",
	"Referrer-Policy": "no-referrer",
} as const;

/** Public pages show avatars, headers and media from other servers too. */
const PUBLIC_CSP =
	"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; media-src 'self' https:; manifest-src 'self'; frame-ancestors 'none'";

export interface PageOptions {
	status?: number;
	headers?: HeadersInit;
	instanceTitle: string;
	/** "wide" for public pages (profiles, posts, the landing page); forms keep the narrow column. */
	layout?: "narrow" | "wide";
	/** Extra elements for <head>: OpenGraph meta, alternate links, feeds. */
	head?: SafeHtml;
	/** The page's language (a post's), `en` otherwise. */
	lang?: string;
	/** `<meta name="description">`. */
	description?: string;
	/** Asks search engines to leave the page out (members who opted out, private pages). */
	noindex?: boolean;
	/** Replaces `Cache-Control: no-store` for pages anyone may cache (public pages). */
	cacheControl?: string;
	/** Whether images from other servers may load (public pages). */
	remoteImages?: boolean;
}

function siteHeader(instanceTitle: string): SafeHtml {
	return html`<header class="site"><a class="home" href="/">${instanceTitle}</a>
<nav aria-label="Site"><a href="/about">About</a> <a href="/settings">Settings</a></nav></header>`;
}

const siteFooter = html`<footer class="site"><a href="/about">About</a> · <a href="/privacy-policy">Privacy policy</a> · Powered by Tern</footer>`;

export function page(title: string, body: SafeHtml, options: PageOptions): Response {
	const wide = options.layout === "wide";
	const document = html`<!doctype html>
<html lang="${options.lang || "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} - ${options.instanceTitle}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ""}
${options.noindex ? html`<meta name="robots" content="noindex, noarchive">` : ""}
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="manifest" href="/manifest.webmanifest">
${options.head ?? ""}<style>${new SafeHtml(STYLE)}</style></head>
<body>${siteHeader(options.instanceTitle)}<main class="${wide ? "wide" : "narrow"}">${body}</main>${siteFooter}</body></html>`;
	const headers = new Headers(options.headers);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) headers.set(name, value);
	if (options.cacheControl) headers.set("Cache-Control", options.cacheControl);
	if (options.remoteImages) headers.set("Content-Security-Policy", PUBLIC_CSP);
	return new Response(document.value, { status: options.status ?? 200, headers });
}

export function hidden(fields: Record<string, string | undefined>): SafeHtml {
	return html`${Object.entries(fields)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}
