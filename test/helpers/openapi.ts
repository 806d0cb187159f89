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
