import type { InstanceConfig } from "../config";
import type { Db } from "../db/client";
import { type Account, DOMAIN_BLOCK_SEVERITIES, type DomainBlockSeverity, type User } from "../db/schema";
import { findLocalAccountByUsername } from "../services/accounts/local-accounts";
import { findAccountByAcct, findAccounts } from "../services/accounts/queries";
import { listRules, removeRule } from "../services/instance/facts";
import {
	approveSignUp,
	performAccountAction,
	rejectSignUp,
	undoAccountAction,
} from "../services/moderation/account-actions";
import { CLI_MODERATOR, handleOf, logActionStatement } from "../services/moderation/audit-log";
import { importBlocklist, previewBlocklist } from "../services/moderation/blocklist";
import type { ModerationContext } from "../services/moderation/context";
import {
	describeDeadLetter,
	findDeadLetter,
	listDeadLetters,
	requestReplay,
} from "../services/moderation/dead-letters";
import {
	checkedDomain,
	createDomainBlock,
	DomainBlockConflict,
	listDomainBlocks,
	removeDomainBlock,
} from "../services/moderation/domain-blocks";
import { listReports } from "../services/moderation/reports";
import { CliError } from "./args";

/**
 * The console's moderation actions at the command line, through the same
 * services, logged in the audit log as done from the CLI.
 */
type Flags = Map<string, string | true>;
type Out = (line: string) => void;

function text(flags: Flags, name: string): string {
	const value = flags.get(name);
	if (value === true) throw new CliError(`--${name} needs a value`);
	return value ?? "";
}

/** `name` for a local account, `name@domain` for a remote one. */
async function accountNamed(db: Db, config: InstanceConfig, handle: string | undefined): Promise<Account> {
	if (!handle) throw new CliError("Name the account: a local username, or user@domain for a remote one");
	const account = handle.replace(/^@/, "").includes("@")
		? await findAccountByAcct(db, handle, config)
		: await findLocalAccountByUsername(db, handle);
	if (!account) throw new CliError(`No account named ${handle}`);
	return account;
}

export async function userModeration(
	ctx: ModerationContext,
	verb: string,
	positionals: string[],
	flags: Flags,
	out: Out,
): Promise<void> {
	const account = await accountNamed(ctx.db, ctx.config, positionals[0]);
	const reason = text(flags, "reason");
	switch (verb) {
		case "suspend":
		case "silence":
			await performAccountAction(ctx, CLI_MODERATOR, account, {
				type: verb,
				text: reason,
				notify: !flags.has("quiet"),
			});
			out(`${verb === "suspend" ? "Suspended" : "Limited"} ${handleOf(account)}`);
			return;
		case "unsuspend":
		case "unsilence":
			await undoAccountAction(ctx, CLI_MODERATOR, account, verb, reason);
			out(`${verb === "unsuspend" ? "Unsuspended" : "Lifted the limit on"} ${handleOf(account)}`);
			return;
		case "approve":
			await approveSignUp(ctx, CLI_MODERATOR, account);
			out(`Approved ${account.username}`);
			return;
		case "reject":
			await rejectSignUp(ctx, CLI_MODERATOR, account, text(flags, "notice"));
			out(`Rejected ${account.username}`);
			return;
		default:
			throw new CliError(`Unknown command: user ${verb}`);
	}
}

function severityFlag(flags: Flags): DomainBlockSeverity {
	const value = text(flags, "severity") || "suspend";
	if (!(DOMAIN_BLOCK_SEVERITIES as readonly string[]).includes(value)) {
		throw new CliError(`--severity must be one of ${DOMAIN_BLOCK_SEVERITIES.join(", ")}`);
	}
	return value as DomainBlockSeverity;
}

export async function domainCommand(
	ctx: ModerationContext,
	verb: string,
	positionals: string[],
	flags: Flags,
	io: { out: Out; readFile?: (path: string) => Promise<Uint8Array> },
): Promise<void> {
	const { out } = io;
	switch (verb) {
		case "block": {
			const domain = positionals[0];
			if (!domain) throw new CliError("domain block needs a domain");
			try {
				const block = await createDomainBlock(ctx, CLI_MODERATOR, {
					domain,
					severity: severityFlag(flags),
					rejectMedia: flags.has("reject-media"),
					rejectReports: flags.has("reject-reports"),
					publicComment: text(flags, "public-comment"),
					privateComment: text(flags, "private-comment"),
					obfuscate: flags.has("obfuscate"),
				});
				out(`Blocked ${block.domain} (${block.severity})`);
			} catch (error) {
				if (error instanceof DomainBlockConflict) throw new CliError(error.message);
				throw error;
			}
			return;
		}
		case "unblock": {
			const domain = checkedDomain(ctx, positionals[0] ?? "");
			const block = (await listDomainBlocks(ctx.db)).find((b) => b.domain === domain);
			if (!block) throw new CliError(`${domain} is not blocked`);
			await removeDomainBlock(ctx, CLI_MODERATOR, block);
			out(`Unblocked ${domain}`);
			return;
		}
		case "list": {
			const blocks = await listDomainBlocks(ctx.db);
			if (blocks.length === 0) out("No domain is blocked.");
			for (const b of blocks) {
				const options = [b.rejectMedia ? "reject-media" : "", b.rejectReports ? "reject-reports" : ""].filter(Boolean);
				out(`${b.domain}\t${b.severity}${options.length ? `\t${options.join(",")}` : ""}`);
			}
			return;
		}
		case "import": {
			const file = positionals[0];
			if (!file) throw new CliError("domain import needs a CSV file");
			if (!io.readFile) throw new CliError("domain import cannot read files here");
			const csv = new TextDecoder().decode(await io.readFile(file));
			const preview = await previewBlocklist(ctx, csv);
			for (const row of preview.rows)
				out(`line ${row.line}\t${row.domain}\t${row.severity}\t${row.action.replace(/_/g, " ")}`);
			const adds = preview.rows.filter((r) => r.action === "add").length;
			if (flags.has("dry-run")) {
				out(`Dry run: ${adds} of ${preview.rows.length} domains would be blocked.`);
				return;
			}
			const { added } = await importBlocklist(ctx, CLI_MODERATOR, csv);
			out(`Blocked ${added.length} of ${preview.rows.length} domains.`);
			return;
		}
		default:
			throw new CliError(`Unknown command: domain ${verb}`);
	}
}

export async function reportList(db: Db, flags: Flags, out: Out): Promise<void> {
	const reports = await listReports(db, { resolved: flags.has("resolved"), limit: 100 });
	if (reports.length === 0) {
		out(flags.has("resolved") ? "No resolved reports." : "No open reports.");
		return;
	}
	const accounts = await findAccounts(
		db,
		reports.flatMap((r) => [r.accountId, r.targetAccountId]),
	);
	for (const r of reports) {
		const target = accounts.get(r.targetAccountId);
		const reporter = accounts.get(r.accountId);
		const comment = r.comment.replace(/\s+/g, " ").slice(0, 80);
		out(
			`${r.id}\t${r.createdAt.toISOString()}\t${target ? handleOf(target) : "?"}\tby ${reporter ? handleOf(reporter) : "?"}\t${r.category}\t${r.actionTakenAt ? "resolved" : "open"}\t${comment}`,
		);
	}
}

export async function ruleCommand(db: Db, verb: string, positionals: string[], out: Out): Promise<void> {
	if (verb === "list") {
		const rules = await listRules(db);
		if (rules.length === 0) out("No rules.");
		for (const rule of rules) out(`${rule.id}\t${rule.position}\t${rule.text}${rule.hint ? ` (${rule.hint})` : ""}`);
		return;
	}
	const id = positionals[0];
	if (!id) throw new CliError("rule remove needs a rule id (see rule list)");
	const removed = await removeRule(db, id);
	if (!removed) throw new CliError(`No rule with id ${id}`);
	await logActionStatement(db, CLI_MODERATOR, {
		action: "destroy",
		targetType: "Rule",
		targetId: removed.id,
		humanIdentifier: removed.text,
	});
	out(`Removed rule ${removed.id}: ${removed.text}`);
}

export async function deliveriesCommand(
	ctx: ModerationContext,
	verb: string,
	positionals: string[],
	flags: Flags,
	out: Out,
): Promise<void> {
	if (verb === "dead") {
		const letters = await listDeadLetters(ctx.db, 100);
		if (letters.length === 0) out("No dead letters.");
		for (const letter of letters) {
			out(
				`${letter.id}\t${letter.createdAt.toISOString()}\t${letter.queue}\t${letter.attempts} attempts\t${describeDeadLetter(letter)}`,
			);
		}
		return;
	}
	const ids = flags.has("all") ? (await listDeadLetters(ctx.db, 1000)).map((l) => l.id) : positionals;
	if (ids.length === 0) throw new CliError("deliveries replay needs dead letter ids (see deliveries dead) or --all");
	for (const id of ids) {
		const letter = await findDeadLetter(ctx.db, id);
		if (!letter || letter.replayRequestedAt) throw new CliError(`No dead letter with id ${id}`);
		await requestReplay(ctx.db, CLI_MODERATOR, letter);
		out(
			`Replay of ${describeDeadLetter(letter)} queued; the server sends it within ten minutes (or now, from the console).`,
		);
	}
}

/** `tern user list`'s state column: what keeps an account from working, or "active". */
export function userState(account: Account, user: User): string {
	if (account.suspendedAt) return "suspended";
	if (user.rejectedAt) return "rejected";
	if (user.disabled) return "disabled";
	if (!user.approved) return "pending";
	if (!user.confirmedAt) return "unconfirmed";
	if (account.silencedAt) return "limited";
	return "active";
}
