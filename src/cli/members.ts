import { eq } from "drizzle-orm";
import { instanceConfig } from "../config";
import type { Db } from "../db/client";
import { type UserRole, users } from "../db/schema";
import { randomToken } from "../lib/crypto/digest";
import { parseScopes, unknownScopes } from "../lib/scopes";
import type { JobMessage } from "../queues/messages";
import { generateAccountKeys } from "../services/accounts/keys";
import { createLocalAccount, findLocalAccountByUsername, listLocalUsers } from "../services/accounts/local-accounts";
import { createPasswordResetLink } from "../services/auth/password-reset";
import { issueAccessToken } from "../services/auth/tokens";
import { envWithSettings, readInstanceSettings } from "../services/instance/settings";
import { CliError } from "./args";
import type { CliEnv, CliIo } from "./env";
import { userState } from "./moderation";

// `tern user create|list|reset-password` and `tern token create`: members and their credentials.

const DEFAULT_SCOPES = "read write follow push";

function requireFlag(flags: Map<string, string | true>, name: string): string {
	const value = flags.get(name);
	if (typeof value !== "string" || value === "") throw new CliError(`--${name} is required`);
	return value;
}

export async function userCreate(
	env: CliEnv,
	db: Db,
	positionals: string[],
	flags: Map<string, string | true>,
	io: CliIo,
) {
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

export async function userList(db: Db, io: CliIo) {
	const rows = await listLocalUsers(db);
	if (rows.length === 0) {
		io.out("No local users yet.");
		return;
	}
	for (const { account, user } of rows) {
		io.out(
			`${account.username}\t${user.email}\t${user.role}\t${userState(account, user)}\t${account.createdAt.toISOString()}`,
		);
	}
}

export async function userResetPassword(env: CliEnv, db: Db, positionals: string[], io: CliIo) {
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

export async function tokenCreate(db: Db, positionals: string[], flags: Map<string, string | true>, io: CliIo) {
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
	// The server would refuse the token anyway; saying so here is clearer than a 403 later.
	const state = userState(account, user);
	if (state !== "active" && state !== "limited" && state !== "unconfirmed") {
		throw new CliError(`${username} is ${state}: its tokens would be refused`);
	}
	const token = await issueAccessToken(db, { userId: user.id, applicationId: null, scopes: scopes.join(" ") });
	io.out(token.accessToken);
}
