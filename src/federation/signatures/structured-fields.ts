import { base64ToBytes, bytesToBase64 } from "../../lib/base64";

/**
 * The part of RFC 8941 (Structured Field Values) that HTTP Message Signatures
 * need: dictionaries whose members are byte sequences (Signature,
 * Content-Digest) or inner lists of strings with parameters (Signature-Input).
 */
export type BareItem = string | number | boolean | Uint8Array | SfToken;
export type Parameters = Map<string, BareItem>;
export interface Item {
	value: BareItem;
	params: Parameters;
}
export interface InnerList {
	items: Item[];
	params: Parameters;
}
export type DictionaryMember = Item | InnerList;

/** Tokens are kept apart from strings because they serialize without quotes. */
export class SfToken {
	constructor(readonly name: string) {}
}

export class StructuredFieldError extends Error {}

export function isInnerList(member: DictionaryMember): member is InnerList {
	return "items" in member;
}

class Parser {
	private pos = 0;
	constructor(private readonly input: string) {}

	parseDictionary(): Map<string, DictionaryMember> {
		const out = new Map<string, DictionaryMember>();
		this.skipSpaces();
		if (this.done()) return out;
		while (true) {
			const key = this.parseKey();
			if (this.peek() === "=") {
				this.pos++;
				out.set(key, this.parseMember());
			} else {
				out.set(key, { value: true, params: this.parseParameters() });
			}
			this.skipOws();
			if (this.done()) return out;
			this.expect(",");
			this.skipOws();
			if (this.done()) throw new StructuredFieldError("Trailing comma in dictionary");
		}
	}

	private parseMember(): DictionaryMember {
		if (this.peek() === "(") return this.parseInnerList();
		return this.parseItem();
	}

	private parseInnerList(): InnerList {
		this.expect("(");
		const items: Item[] = [];
		while (!this.done()) {
			this.skipSpaces();
			if (this.peek() === ")") {
				this.pos++;
				return { items, params: this.parseParameters() };
			}
			items.push(this.parseItem());
			const next = this.peek();
			if (next !== " " && next !== ")") throw new StructuredFieldError("Malformed inner list");
		}
		throw new StructuredFieldError("Unterminated inner list");
	}

	private parseItem(): Item {
		const value = this.parseBareItem();
		return { value, params: this.parseParameters() };
	}

	private parseParameters(): Parameters {
		const params: Parameters = new Map();
		while (this.peek() === ";") {
			this.pos++;
			this.skipSpaces();
			const key = this.parseKey();
			let value: BareItem = true;
			if (this.peek() === "=") {
				this.pos++;
				value = this.parseBareItem();
			}
			params.set(key, value);
		}
		return params;
	}

	private parseBareItem(): BareItem {
		const char = this.peek();
		if (char === '"') return this.parseString();
		if (char === ":") return this.parseBytes();
		if (char === "?") return this.parseBoolean();
		if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return this.parseNumber();
		if (char !== undefined && /[A-Za-z*]/.test(char)) return this.parseToken();
		throw new StructuredFieldError(`Unexpected character ${JSON.stringify(char)}`);
	}

	private parseKey(): string {
		const match = /^[a-z*][a-z0-9_.*-]*/.exec(this.input.slice(this.pos));
		if (!match) throw new StructuredFieldError("Malformed key");
		this.pos += match[0].length;
		return match[0];
	}

	private parseString(): string {
		this.expect('"');
		let out = "";
		while (!this.done()) {
			const char = this.input[this.pos++] as string;
			if (char === "\\") {
				const escaped = this.input[this.pos++];
				if (escaped !== '"' && escaped !== "\\") throw new StructuredFieldError("Bad escape in string");
				out += escaped;
			} else if (char === '"') {
				return out;
			} else if (char < " " || char > "~") {
				throw new StructuredFieldError("Invalid character in string");
			} else {
				out += char;
			}
		}
		throw new StructuredFieldError("Unterminated string");
	}

	private parseBytes(): Uint8Array {
		this.expect(":");
		const end = this.input.indexOf(":", this.pos);
		if (end < 0) throw new StructuredFieldError("Unterminated byte sequence");
		const text = this.input.slice(this.pos, end);
		if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new StructuredFieldError("Invalid base64 in byte sequence");
		this.pos = end + 1;
		return base64ToBytes(text);
	}

	private parseBoolean(): boolean {
		this.expect("?");
		const char = this.input[this.pos++];
		if (char === "1") return true;
		if (char === "0") return false;
		throw new StructuredFieldError("Invalid boolean");
	}

	private parseNumber(): number {
		const match = /^-?\d{1,15}(\.\d{1,3})?/.exec(this.input.slice(this.pos));
		if (!match) throw new StructuredFieldError("Invalid number");
		this.pos += match[0].length;
		return Number(match[0]);
	}

	private parseToken(): SfToken {
		const match = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(this.input.slice(this.pos));
		if (!match) throw new StructuredFieldError("Invalid token");
		this.pos += match[0].length;
		return new SfToken(match[0]);
	}

	private peek(): string | undefined {
		return this.input[this.pos];
	}
	private done(): boolean {
		return this.pos >= this.input.length;
	}
	private expect(char: string): void {
		if (this.input[this.pos] !== char) throw new StructuredFieldError(`Expected ${char}`);
		this.pos++;
	}
	private skipSpaces(): void {
		while (this.input[this.pos] === " ") this.pos++;
	}
	private skipOws(): void {
		while (this.input[this.pos] === " " || this.input[this.pos] === "\t") this.pos++;
	}
}

export function parseDictionary(header: string): Map<string, DictionaryMember> {
	return new Parser(header.trim()).parseDictionary();
}

export function serializeBareItem(value: BareItem): string {
	if (value instanceof SfToken) return value.name;
	if (value instanceof Uint8Array) return `:${bytesToBase64(value)}:`;
	if (typeof value === "boolean") return value ? "?1" : "?0";
	if (typeof value === "number") return String(value);
	return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function serializeParameters(params: Parameters): string {
	let out = "";
	for (const [key, value] of params) out += value === true ? `;${key}` : `;${key}=${serializeBareItem(value)}`;
	return out;
}

export function serializeItem(item: Item): string {
	return serializeBareItem(item.value) + serializeParameters(item.params);
}

export function serializeInnerList(list: InnerList): string {
	return `(${list.items.map(serializeItem).join(" ")})${serializeParameters(list.params)}`;
}
