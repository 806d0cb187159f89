import { eq } from "drizzle-orm";
import { instanceConfig } from "../config";
import { createDb, type Db } from "../db/client";
import type { UserRole } from "../db/schema";
import { users } from "../db/schema";
import { randomToken } from "../lib/crypto/digest";
import { ValidationError } from "../lib/errors";
import { parseScopes, unknownScopes } from "../lib/scopes";
import type { JobMessage } from "../queues/messages";
import { generateAccountKeys } from "../services/accounts/keys";
import { createLocalAccount, findLocalAccountByUsername, listLocalUsers } from "../services/accounts/local-accounts";
import { createPasswordResetLink } from "../services/auth/password-reset";
import { issueAccessToken } from "../services/auth/tokens";
import { addCustomEmoji } from "../services/instance/custom-emojis";
import { addRule } from "../services/instance/facts";
import { envWithSettings, readInstanceSettings } from "../services/instance/settings";
import { announcementAdd, announcementList, announcementRemove } from "./announcements";
import { CliError, parseArgs } from "./args";
import { backupCreate, backupList, backupRestore, backupSchedule } from "./backups";
import type { CliEnv, CliIo } from "./env";
import { domainSet, domainShow, settingsSet, settingsShow } from "./instance";
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
  user reset-password <username>
      Prints a one-time link, valid for an hour, with which the user sets a new password.
  rule add "<text>" [--hint "<longer explanation>"]
      Adds a server rule (shown at sign-up and in the instance information).
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
      extended-description, privacy-policy. An empty value returns it to the Worker's var.
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

const BOOLEAN_FLAGS = new Set(["admin", "moderator", "remote", "help", "json", "all-day"]);
const DEFAULT_SCOPES = "read write follow push";

function requireFlag(flags: Map<string, string | true>, name: string): string {
	const value = flags.get(name);
	if (typeof value !== "string" || value === "") throw new CliError(`--${name} is required`);
	return value;
}

/** D1's complaint when migrations were never applied (Drizzle wraps it as the error's cause). */
function isMissingSchema(error: unknown): boolean {
	for (let e = error; e; e = (e as Error).cause) {
		if (/no such table/i.test(String((e as Error).message ?? e))) return true;
	}
	return false;
}

async function userCreate(env: CliEnv, db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
	const username = positionals[0];
	if (!username) throw new CliError("user create needs a username");
	const email = requireFlag(flags, "email");
	const given = flags.get("password");
	if (given === true) throw new CliError("--password needs a value");
	const password = given ?? randomToken(18);
	const role: UserRole = flags.has("admin") ? "admin" : flags.has("moderator") ? "moderator" : "user";
	const secret = env.KEY_ENCRYPTION_SECRET;
	const settled = envWithSettings(env as Env, await readInstanceSettings(db));
	if (!settled.INSTANCE_DOMAIN?.trim()) {
		throw new CliError(
			"This server has no domain yet: finish setup in the browser (open the server's address), or set INSTANCE_DOMAIN",
		);
	}
	const config = instanceConfig(settled);
	const { account } = await createLocalAccount(db, config, {
		username,
		email,
		password,
		role,
		confirmed: true,
		approved: true,
		// Node has no CPU limit, so keys are made here when the secret is at hand;
		// otherwise the deployed Worker's job queue makes them.
		keys: secret ? (accountId) => generateAccountKeys(secret, accountId) : undefined,
	});
	if (!secret) {
		await env.JOBS_QUEUE.send({ type: "account.generate_keys", accountId: account.id } satisfies JobMessage);
	}
	io.out(`Created ${role === "user" ? "user" : role} ${account.username} (account id ${account.id})`);
	if (given === undefined) io.out(`Password: ${password}`);
}

async function userList(db: Db, io: CliIo) {
	const rows = await listLocalUsers(db);
	if (rows.length === 0) {
		io.out("No local users yet.");
		return;
	}
	for (const { account, user } of rows) {
		const state = user.disabled
			? "disabled"
			: !user.approved
				? "pending"
				: !user.confirmedAt
					? "unconfirmed"
					: "active";
		io.out(`${account.username}\t${user.email}\t${user.role}\t${state}\t${account.createdAt.toISOString()}`);
	}
}

async function userApprove(db: Db, positionals: string[], io: CliIo) {
	const username = positionals[0];
	if (!username) throw new CliError("user approve needs a username");
	const account = await findLocalAccountByUsername(db, username);
	if (!account) throw new CliError(`No local user named ${username}`);
	const updated = await db
		.update(users)
		.set({ approved: true })
		.where(eq(users.accountId, account.id))
		.returning({ id: users.id });
	if (updated.length === 0) throw new CliError(`${username} has no user record`);
	io.out(`Approved ${account.username}`);
}

async function userResetPassword(env: CliEnv, db: Db, positionals: string[], io: CliIo) {
	const username = positionals[0];
	if (!username) throw new CliError("user reset-password needs a username");
	const account = await findLocalAccountByUsername(db, username);
	if (!account) throw new CliError(`No local user named ${username}`);
	const [user] = await db.select().from(users).where(eq(users.accountId, account.id)).limit(1);
	if (!user) throw new CliError(`${username} has no user record`);
	const config = instanceConfig(envWithSettings(env as Env, await readInstanceSettings(db)));
	// Made by the server's operator, who holds its credentials: no staff account to record.
	const link = await createPasswordResetLink(db, config.origin, { target: user, createdBy: null });
	io.out(`Reset link for ${account.username} (works once, until ${link.expiresAt.toISOString()}):`);
	io.out(link.url);
}

async function ruleAdd(db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
	const text = positionals.join(" ");
	if (!text) throw new CliError('rule add needs the rule\'s text, e.g. rule add "Be kind"');
	const hint = flags.get("hint");
	const rule = await addRule(db, text, typeof hint === "string" ? hint : "");
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
	io.out(`Added :${emoji.shortcode}:`);
}

async function tokenCreate(db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
	const username = positionals[0];
	if (!username) throw new CliError("token create needs a username");
	const scopesFlag = flags.get("scopes");
	const scopes = parseScopes(typeof scopesFlag === "string" ? scopesFlag : DEFAULT_SCOPES);
	if (scopes.length === 0) throw new CliError("--scopes is empty");
	const unknown = unknownScopes(scopes);
	if (unknown.length > 0) throw new CliError(`Unknown scopes: ${unknown.join(", ")}`);
	const account = await findLocalAccountByUsername(db, username);
	if (!account) throw new CliError(`No local user named ${username}`);
	const [user] = await db.select().from(users).where(eq(users.accountId, account.id)).limit(1);
	if (!user) throw new CliError(`${username} has no user record`);
	const token = await issueAccessToken(db, { userId: user.id, applicationId: null, scopes: scopes.join(" ") });
	io.out(token.accessToken);
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
				await userApprove(db, rest, io);
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
		if (error instanceof CliError || error instanceof ValidationError) {
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
