import { instanceConfig } from "../config";
import { createDb, type Db } from "../db/client";
import { NotPermittedError, UnprocessableError, ValidationError } from "../lib/errors";
import { QUEUE_NAMES } from "../queues/messages";
import { addCustomEmoji } from "../services/instance/custom-emojis";
import { addRule } from "../services/instance/facts";
import { envWithSettings, readInstanceSettings } from "../services/instance/settings";
import { CLI_MODERATOR, logActionStatement } from "../services/moderation/audit-log";
import type { ModerationContext } from "../services/moderation/context";
import { holdQueueMessages, UnknownQueueError } from "../services/moderation/dead-letters";
import { announcementAdd, announcementList, announcementRemove } from "./announcements";
import { CliError, parseArgs } from "./args";
import { backupCreate, backupList, backupRestore, backupSchedule } from "./backups";
import type { CliEnv, CliIo } from "./env";
import { domainSet, domainShow, settingsSet, settingsShow } from "./instance";
import { tokenCreate, userCreate, userList, userResetPassword } from "./members";
import { deliveriesCommand, domainCommand, reportList, ruleCommand, userModeration } from "./moderation";
import { trendsHidden, trendsHide, trendsUnhide } from "./trends";

export type { CliEnv, CliIo } from "./env";

export const USAGE = `Usage: tern <command> [options]

Commands:
  user create <username> --email <email> [--password <password>] [--admin | --moderator]
      Creates a confirmed local account. Without --password a random one is printed.
  user list
      Lists local accounts.
  user approve <username>
      Approves an account that signed up while sign-ups need approval.
  user reject <username> [--notice "<text>"]
      Turns a sign-up down; the notice is shown when they try to sign in.
  user suspend|silence <username or user@domain> [--reason "<text>"] [--quiet]
      Suspends or limits an account (local or remote), as the console does; --quiet sends no warning.
  user unsuspend|unsilence <username or user@domain> [--reason "<text>"]
      Undoes a suspension or a limit.
  user reset-password <username>
      Prints a one-time link, valid for an hour, with which the user sets a new password.
  domain block <domain> [--severity suspend|silence|noop] [--reject-media] [--reject-reports]
               [--public-comment "<text>"] [--private-comment "<text>"] [--obfuscate]
      Blocks a server (and its subdomains); suspend is the default.
  domain unblock <domain>
      Lifts a block.
  domain list
      Lists the blocked domains.
  domain import <file.csv> [--dry-run]
      Imports a blocklist in Mastodon's CSV format, printing what each line does.
  report list [--resolved]
      Lists open (or resolved) reports.
  rule add "<text>" [--hint "<longer explanation>"]
      Adds a server rule (shown at sign-up and in the instance information).
  rule list
      Lists the rules with their ids.
  rule remove <id>
      Deletes a rule.
  deliveries dead
      Lists dead letters: messages that ran out of retries.
  deliveries replay <id>... | --all
      Sends dead letters back to their queue (the server sends them within ten minutes).
  announcement add "<text>" [--starts <iso date>] [--ends <iso date>] [--all-day]
      Publishes an announcement to every signed-in user, shown between --starts and --ends
      (give both or neither; --all-day shows the dates without times).
  announcement list
      Lists announcements with their id, state and window.
  announcement remove <id>
      Deletes an announcement with its reactions.
  trends hide tag <name> | trends hide link <url>
      Keeps a hashtag or link out of trends (it is still counted); trends unhide lets it back.
  trends hidden
      Lists what is hidden from trends.
  emoji add <shortcode> <file> [--category <name>]
      Adds a custom emoji from a PNG, GIF or WebP file (at most 256 KiB).
  token create <username> [--scopes "read write follow push"]
      Prints an OAuth access token for the account, for scripts and tests.
  settings show
      Prints the instance settings (chosen at setup, or the Worker's vars) and where each comes from.
  settings set <name> "<value>"
      Changes one: title, description, contact-email, registration-mode (open, approval, closed),
      extended-description, privacy-policy, show-domain-blocks and show-domain-blocks-rationale
      (disabled, users, all), limited-federation (true, false). An empty value returns it to the
      Worker's var (or the default); the console's settings page edits the same values.
  domain show
      Prints the domain accounts are made under, where it comes from, and whether the server has federated.
  domain set <host>
      Moves a server that has not federated yet to another domain, rewriting every URI it has made.
  backup list
      Lists the backups in the bucket: id, when, tables, rows, size.
  backup create
      Makes a backup now (the cron makes them on schedule).
  backup restore <id>
      Restores a backup into an empty database and checks every table's rows and checksum.
  backup schedule [--every <hours>] [--keep <n>]
      How often the cron makes a backup (default every 168 hours) and how many are kept (default 4).

Options for every command:
  --remote          act on the deployed instance instead of local dev state
  --state <dir>     local state folder, as given to \`npm run dev -- --state\` (default .wrangler/state)
  --config <file>   Wrangler configuration file (default wrangler.toml)
  --help            this text`;

const BOOLEAN_FLAGS = new Set([
	"admin",
	"moderator",
	"remote",
	"help",
	"json",
	"all-day",
	"quiet",
	"reject-media",
	"reject-reports",
	"obfuscate",
	"dry-run",
	"resolved",
	"all",
]);

/** D1's complaint when migrations were never applied (Drizzle wraps it as the error's cause). */
function isMissingSchema(error: unknown): boolean {
	for (let e = error; e; e = (e as Error).cause) {
		if (/no such table/i.test(String((e as Error).message ?? e))) return true;
	}
	return false;
}

async function ruleAdd(db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
	const text = positionals.join(" ");
	if (!text) throw new CliError('rule add needs the rule\'s text, e.g. rule add "Be kind"');
	const hint = flags.get("hint");
	const rule = await addRule(db, text, typeof hint === "string" ? hint : "");
	await logActionStatement(db, CLI_MODERATOR, {
		action: "create",
		targetType: "Rule",
		targetId: rule.id,
		humanIdentifier: rule.text,
	});
	io.out(`Added rule ${rule.position} (id ${rule.id}): ${rule.text}`);
}

async function emojiAdd(env: CliEnv, db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
	const [shortcode, file] = positionals;
	if (!shortcode || !file) throw new CliError("emoji add needs a shortcode and an image file");
	if (!io.readFile) throw new CliError("emoji add cannot read files here");
	const category = flags.get("category");
	const emoji = await addCustomEmoji(
		db,
		env.MEDIA,
		shortcode,
		await io.readFile(file),
		typeof category === "string" ? category : null,
	);
	await logActionStatement(db, CLI_MODERATOR, {
		action: "create",
		targetType: "CustomEmoji",
		targetId: emoji.id,
		humanIdentifier: `:${emoji.shortcode}:`,
	});
	io.out(`Added :${emoji.shortcode}:`);
}

/** A queue that keeps what it is given in D1 for the server to send (see CliIo.holdQueueMessages). */
function heldQueue(db: Db, queue: string): Queue {
	return {
		send: async (body: unknown) => holdQueueMessages(db, queue, [body]),
		sendBatch: async (messages: Iterable<MessageSendRequest>) =>
			holdQueueMessages(
				db,
				queue,
				[...messages].map((m) => m.body),
			),
	} as unknown as Queue;
}

/** What moderation services need, from the CLI's bindings and the stored settings. */
async function moderationContext(env: CliEnv, db: Db, io: CliIo): Promise<ModerationContext> {
	const config = instanceConfig(envWithSettings(env as Env, await readInstanceSettings(db)));
	const queues = io.holdQueueMessages
		? {
				DELIVERY_QUEUE: heldQueue(db, QUEUE_NAMES.delivery),
				JOBS_QUEUE: heldQueue(db, QUEUE_NAMES.jobs),
			}
		: { DELIVERY_QUEUE: env.DELIVERY_QUEUE, JOBS_QUEUE: env.JOBS_QUEUE };
	return { env: { DB: env.DB, ...queues }, db, config };
}

/** Runs one CLI command against `env`; returns the process exit code. */
export async function runCli(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
	try {
		const { positionals, flags } = parseArgs(argv, BOOLEAN_FLAGS);
		const [noun, verb, ...rest] = positionals;
		if (flags.has("help") || !noun) {
			io.out(USAGE);
			return noun || flags.has("help") ? 0 : 1;
		}
		const db = createDb(env.DB);
		const command = `${noun} ${verb ?? ""}`.trim();
		const moderation = async () => moderationContext(env, db, io);
		switch (command) {
			case "user create":
				await userCreate(env, db, rest, flags, io);
				return 0;
			case "user list":
				await userList(db, io);
				return 0;
			case "user reset-password":
				await userResetPassword(env, db, rest, io);
				return 0;
			case "user approve":
			case "user reject":
			case "user suspend":
			case "user unsuspend":
			case "user silence":
			case "user unsilence":
				await userModeration(await moderation(), verb as string, rest, flags, io.out);
				return 0;
			case "domain block":
			case "domain unblock":
			case "domain list":
			case "domain import":
				await domainCommand(await moderation(), verb as string, rest, flags, io);
				return 0;
			case "report list":
				await reportList(db, flags, io.out);
				return 0;
			case "rule list":
			case "rule remove":
				await ruleCommand(db, verb as string, rest, io.out);
				return 0;
			case "deliveries dead":
			case "deliveries replay":
				await deliveriesCommand(await moderation(), verb as string, rest, flags, io.out);
				return 0;
			case "rule add":
				await ruleAdd(db, rest, flags, io);
				return 0;
			case "announcement add":
				await announcementAdd(db, rest, flags, io.out);
				return 0;
			case "announcement list":
				await announcementList(db, io.out);
				return 0;
			case "announcement remove":
				await announcementRemove(db, rest, io.out);
				return 0;
			case "trends hide":
				await trendsHide(db, rest, io.out);
				return 0;
			case "trends unhide":
				await trendsUnhide(db, rest, io.out);
				return 0;
			case "trends hidden":
				await trendsHidden(db, io.out);
				return 0;
			case "emoji add":
				await emojiAdd(env, db, rest, flags, io);
				return 0;
			case "token create":
				await tokenCreate(db, rest, flags, io);
				return 0;
			case "settings show":
				await settingsShow(env, db, io);
				return 0;
			case "settings set":
				await settingsSet(db, rest, io);
				return 0;
			case "domain show":
				await domainShow(env, db, io);
				return 0;
			case "domain set":
				await domainSet(env, db, rest, io);
				return 0;
			case "backup list":
				await backupList(env, db, io.out);
				return 0;
			case "backup create":
				await backupCreate(env, db, io.out);
				return 0;
			case "backup restore":
				await backupRestore(env, rest, io.out);
				return 0;
			case "backup schedule":
				await backupSchedule(db, flags, io.out);
				return 0;
			default:
				throw new CliError(`Unknown command: ${command}\n\n${USAGE}`);
		}
	} catch (error) {
		if (
			error instanceof CliError ||
			error instanceof ValidationError ||
			error instanceof UnprocessableError ||
			error instanceof NotPermittedError ||
			error instanceof UnknownQueueError
		) {
			io.err(`Error: ${error.message}`);
			return 2;
		}
		if (isMissingSchema(error)) {
			io.err(
				"Error: the database has no Tern tables yet. Apply the migrations first: `npm run dev` does it, " +
					"or `npx wrangler d1 migrations apply DB --local` (add --remote for a deployed instance).",
			);
			return 3;
		}
		io.err(`Error: ${(error as Error)?.message ?? String(error)}`);
		return 1;
	}
}
