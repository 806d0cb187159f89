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

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1b1d21;margin:0;padding:2rem 1rem}
main{max-width:26rem;margin:0 auto;background:#fff;border-radius:8px;padding:1.5rem 2rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input[type=email],input[type=password],input[type=text],textarea{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #bbb;border-radius:4px;font:inherit}
button{font:inherit;padding:.55rem 1.1rem;border-radius:4px;border:1px solid #2b5fd9;background:#2b5fd9;color:#fff;cursor:pointer;margin:1rem .5rem 0 0}
button.secondary{background:#fff;color:#2b5fd9}.error{color:#b00020;font-weight:600}.notice{color:#555}
code.grant{display:block;word-break:break-all;font-size:1.1rem;background:#eef;padding:.8rem;border-radius:4px}
ul.scopes li{margin:.2rem 0}
/* Admin console (src/web/admin/): wider pages, tables that scroll on a phone, inline forms. */
main:has(.admin){max-width:64rem;padding:1rem 1.2rem}
.admin-nav{display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:center;border-bottom:1px solid #ddd;padding-bottom:.6rem;margin-bottom:.8rem}
.admin-nav a{text-decoration:none;color:#2b5fd9}.admin-nav a[aria-current]{font-weight:700;color:#1b1d21}
.admin h2{font-size:1.15rem;margin-top:1.6rem}.admin h3{font-size:1rem}
.admin .flash{background:#e8f4ea;border:1px solid #9cc7a4;padding:.5rem .8rem;border-radius:4px}
.admin form.inline{display:inline}.admin form.inline button,.admin .actions button{margin:.2rem .3rem .2rem 0}
.admin .inline-form{display:flex;flex-wrap:wrap;gap:.4rem;align-items:end;margin:.6rem 0}.admin .inline-form label{margin:0}
.admin .inline-form input[type=text]{width:auto;flex:1 1 12rem}.admin .inline-form button{margin:0}
.admin .stack{max-width:36rem}.admin select,.admin input[type=file],.admin input[type=datetime-local]{font:inherit;padding:.4rem;max-width:100%}
.admin label.check{font-weight:400}.admin button.link{background:none;border:none;color:#2b5fd9;padding:0;margin:0}
.admin button.danger{background:#b00020;border-color:#b00020}
.admin .table-wrap{overflow-x:auto}.admin table{border-collapse:collapse;width:100%;font-size:.92rem}
.admin th,.admin td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.admin tr.skip td{color:#777}.admin .badge{font-size:.75rem;background:#eef;border-radius:3px;padding:0 .3rem}
.admin ul.tiles{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem}
.admin ul.tiles li{background:#f4f5f7;border-radius:6px;padding:.6rem}.admin .tiles .value{display:block;font-size:1.4rem;font-weight:700}
.admin .tiles .label{color:#555;font-size:.85rem}.admin dl.facts dt{font-weight:600;margin-top:.5rem}.admin dl.facts dd{margin-left:0}
.admin article.post{border-left:3px solid #ccd;padding:.2rem .8rem;margin:.8rem 0}.admin article.gone{border-color:#b00020}
.admin code{overflow-wrap:anywhere}.admin .meta{color:#666;font-size:.85rem}.admin ul.queue{list-style:none;padding:0}.admin ul.queue li{border-bottom:1px solid #eee;padding:.5rem 0}
@media (max-width:40rem){body{padding:.5rem}main:has(.admin){padding:.8rem}}
/* Setup (setup-pages.ts): section headings and the radio choices of who can sign up. */
main h2{font-size:1.1rem;margin:1.5rem 0 0}fieldset{border:0;padding:0;margin:.8rem 0 0}legend{font-weight:600;padding:0}
label.choice{font-weight:400;margin:.3rem 0}`;

/** Headers every server-rendered page gets: no framing (clickjacking on the consent form), no caching. */
export const PAGE_HEADERS = {
	"Content-Type": "text/html; charset=utf-8",
	"Cache-Control": "no-store",
	"X-Frame-Options": "DENY",
	"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
	"Referrer-Policy": "no-referrer",
} as const;

export function page(
	title: string,
	body: SafeHtml,
	options: { status?: number; headers?: HeadersInit; instanceTitle: string },
): Response {
	const document = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} - ${options.instanceTitle}</title><style>${new SafeHtml(STYLE)}</style></head>
<body><main>${body}</main></body></html>`;
	const headers = new Headers(options.headers);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) headers.set(name, value);
	return new Response(document.value, { status: options.status ?? 200, headers });
}

export function hidden(fields: Record<string, string | undefined>): SafeHtml {
	return html`${Object.entries(fields)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}
