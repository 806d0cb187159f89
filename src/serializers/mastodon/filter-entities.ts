// Mastodon's filter entities (v1 and v2 filters, and the match a status carries).

export interface MastodonFilterKeyword {
	id: string;
	keyword: string;
	whole_word: boolean;
}

export interface MastodonFilterStatus {
	id: string;
	status_id: string;
}

export interface MastodonFilter {
	id: string;
	title: string;
	context: ("home" | "notifications" | "public" | "thread" | "account")[];
	expires_at: string | null;
	filter_action: "warn" | "hide" | "blur";
	keywords?: MastodonFilterKeyword[];
	statuses?: MastodonFilterStatus[];
}

export interface MastodonV1Filter {
	id: string;
	phrase: string;
	context: MastodonFilter["context"];
	expires_at: string | null;
	irreversible: boolean;
	whole_word: boolean;
}

export interface MastodonFilterResult {
	filter: MastodonFilter;
	keyword_matches: string[] | null;
	status_matches: string[] | null;
}
