import Ajv from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import document from "../fixtures/mastodon-api/openapi.json";

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

let ajv: Ajv | undefined;
function validator(): Ajv {
	if (!ajv) {
		ajv = new Ajv({ strict: false, allErrors: true });
		addFormats(ajv);
		// A format the Mastodon schema uses for language codes; Ajv does not ship it.
		ajv.addFormat("iso-639-1", /^[a-z]{2}$/);
		ajv.addSchema({ ...document, $id: "mastodon-openapi" });
	}
	return ajv;
}

/**
 * Checks a JSON body against the response schema Mastodon documents for
 * `method path` and `status` (path as in the schema, e.g. `/api/v1/accounts/{id}`).
 */
export function expectMatchesSchema(method: string, path: string, status: number, body: unknown): void {
	const paths = (document as { paths: Record<string, Record<string, Operation>> }).paths;
	const operation = paths[path]?.[method.toLowerCase()];
	if (!operation) throw new Error(`The schema has no ${method} ${path}`);
	const response = operation.responses?.[String(status)];
	const schema = response?.content?.["application/json"]?.schema;
	if (!schema) throw new Error(`The schema documents no JSON body for ${status} on ${method} ${path}`);
	const pointer = `mastodon-openapi#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
	const validate = validator().getSchema(pointer) ?? validator().compile({ $ref: pointer });
	const valid = validate(body);
	expect(valid ? [] : validate.errors, `${method} ${path} ${status} body does not match the schema`).toEqual([]);
}

/**
 * Checks a JSON value against one of the schema's entities (`AdminAccount`,
 * `AdminReport`…): the admin API's paths are not in the file, its entities are.
 */
export function expectMatchesEntity(name: string, body: unknown): void {
	const schemas = (document as { components: { schemas: Record<string, unknown> } }).components.schemas;
	if (!schemas[name]) throw new Error(`The schema has no entity ${name}`);
	const pointer = `mastodon-openapi#/components/schemas/${name}`;
	const validate = validator().getSchema(pointer) ?? validator().compile({ $ref: pointer });
	const valid = validate(withRemoteAdminFields(body));
	expect(valid ? [] : validate.errors, `${name} does not match the schema`).toEqual([]);
}

/**
 * Mastodon answers `email` and `locale` as null for remote accounts in
 * Admin::Account (they have no user), which its documentation, and so the
 * schema, does not allow; Tern answers as Mastodon does. Only for checking,
 * those two nulls of remote accounts are filled in; everything else is
 * validated as documented.
 */
function withRemoteAdminFields(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withRemoteAdminFields);
	if (typeof value !== "object" || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, inner] of Object.entries(value)) copy[key] = withRemoteAdminFields(inner);
	if (typeof copy.domain === "string" && "ips" in copy && "role" in copy) {
		if (copy.email === null) copy.email = "remote@account.invalid";
		if (copy.locale === null) copy.locale = "en";
	}
	return copy;
}
