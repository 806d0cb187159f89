import type { Db } from "../db/client";
import { hiddenTrends, hideTrend, unhideTrend } from "../services/trends/hiding";
import { CliError } from "./args";

type Out = (line: string) => void;

function target(positionals: string[], verb: string): { kind: "tag" | "link"; value: string } {
	const [kind, value] = positionals;
	if ((kind !== "tag" && kind !== "link") || !value) {
		throw new CliError(
			`trends ${verb} needs a kind and a value, e.g. trends ${verb} tag spoilers, or trends ${verb} link https://…`,
		);
	}
	return { kind, value };
}

export async function trendsHide(db: Db, positionals: string[], out: Out): Promise<void> {
	const { kind, value } = target(positionals, "hide");
	const key = await hideTrend(db, kind, value);
	out(`Hidden from trends: ${kind} ${key}`);
}

export async function trendsUnhide(db: Db, positionals: string[], out: Out): Promise<void> {
	const { kind, value } = target(positionals, "unhide");
	if (!(await unhideTrend(db, kind, value))) throw new CliError(`${kind} ${value} was not hidden`);
	out(`May trend again: ${kind} ${value}`);
}

export async function trendsHidden(db: Db, out: Out): Promise<void> {
	const rows = await hiddenTrends(db);
	if (rows.length === 0) {
		out("Nothing is hidden from trends.");
		return;
	}
	for (const row of rows) out(`${row.kind}\t${row.key}\thidden ${row.createdAt.toISOString()}`);
}
