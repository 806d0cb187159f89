import type { List } from "../../db/schema";
import type { MastodonList } from "./entities";

export function serializeList(list: List): MastodonList {
	return { id: list.id, title: list.title, replies_policy: list.repliesPolicy, exclusive: list.exclusive };
}
