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
