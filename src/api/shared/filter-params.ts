import type { Params } from "../../http/params";
import type { FilterInput, KeywordInput } from "../../services/filters/filters";

/** `expires_in`: seconds, or empty/absent-but-given to clear the expiry. */
export function expiresInParam(params: Params): number | null | undefined {
	if (!params.has("expires_in")) return undefined;
	const raw = params.raw("expires_in");
	if (raw === null || raw === "") return null;
	return params.integer("expires_in", { min: 1 }) ?? null;
}

export function keywordInputs(params: Params): KeywordInput[] | undefined {
	const list = params.objectList("keywords_attributes");
	return list?.map((item) => ({
		id: item.string("id") || undefined,
		keyword: item.string("keyword"),
		wholeWord: item.boolean("whole_word"),
		destroy: item.boolean("_destroy") ?? false,
	}));
}

export function filterInput(params: Params): FilterInput {
	return {
		title: params.string("title"),
		context: params.stringArray("context"),
		action: params.string("filter_action"),
		expiresIn: expiresInParam(params),
		keywords: keywordInputs(params),
	};
}
