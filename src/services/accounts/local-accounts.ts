import { eq, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import {
	type Account,
	type AccountKeys,
	accountKeys,
	accounts,
	type NewAccount,
	type User,
	type UserRole,
	users,
} from "../../db/schema";
import { hashPassword, type PasswordCost, passwordProblem } from "../../lib/crypto/password";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { plainTextToHtml } from "../../lib/text/html";
import { checkDomainForUris, pinDomain, storedDomainQuery } from "../instance/domain";

type NewUser = typeof users.$inferInsert;

export const USERNAME_MAX_LENGTH = 30;
const USERNAME_PATTERN = /^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$/i;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function usernameProblem(username: string): string | undefined {
	if (!username) return "Username is missing";
	if (username.length > USERNAME_MAX_LENGTH)
		return `Username is too long (maximum is ${USERNAME_MAX_LENGTH} characters)`;
	if (!USERNAME_PATTERN.test(username)) {
		return "Username may only contain letters, numbers and underscores, with dots and dashes inside";
	}
	return undefined;
}

/** The URLs of a local account, all derived from the instance origin and the username. */
export function localActorUrls(config: InstanceConfig, username: string) {
	const uri = `${config.origin}/users/${username}`;
	return {
		uri,
		url: `${config.origin}/@${username}`,
		inboxUrl: `${uri}/inbox`,
		sharedInboxUrl: `${config.origin}/inbox`,
		outboxUrl: `${uri}/outbox`,
		followersUrl: `${uri}/followers`,
		followingUrl: `${uri}/following`,
		featuredUrl: `${uri}/collections/featured`,
	};
}

export async function findLocalAccountByUsername(db: Db, username: string): Promise<Account | undefined> {
	const rows = await db
		.select()
		.from(accounts)
		.where(eq(accounts.acctKey, `${username.toLowerCase()}@`))
		.limit(1);
	return rows[0];
}

export interface CreateLocalAccountInput {
	username: string;
	email: string;
	/** Already checked by the caller if it came from a person; hashed here. */
	password: string;
	/**
	 * The password's hash when the caller computed it already (the web
	 * sign-up, a chain link per request); `password` is then not used.
	 */
	passwordHash?: string;
	role?: UserRole;
	/** Accounts made by an admin are confirmed and approved; sign-ups are not. */
	confirmed?: boolean;
	approved?: boolean;
	displayName?: string;
	/** Keys made by the caller where CPU time allows it (the CLI); otherwise the queue makes them. */
	keys?: (accountId: string) => Promise<AccountKeys>;
	/** The password hash's cost; today's (src/lib/crypto/password.ts) unless a test wants a cheap one. */
	passwordCost?: PasswordCost;
}

export interface CreatedAccount {
	account: Account;
	user: User;
}

/** A local account that passed every check, with its rows ready to insert. */
export interface PreparedAccount {
	account: NewAccount;
	user: NewUser;
	keys: AccountKeys | undefined;
	/** The domain its URIs are made with, stored by the first account (services/instance/domain.ts). */
	domain: string;
}

/**
 * Checks every rule for a new local account and builds its rows. An account
 * is never made under a placeholder domain, nor under another domain than the
 * stored one.
 */
export async function prepareLocalAccount(
	db: Db,
	config: InstanceConfig,
	input: CreateLocalAccountInput,
): Promise<PreparedAccount> {
	const username = input.username.trim();
	const email = input.email.trim().toLowerCase();
	const usernameError = usernameProblem(username);
	if (usernameError) throw new ValidationError("username", usernameError);
	if (username.toLowerCase() === config.domain.toLowerCase()) {
		throw new ValidationError("username", "Username is reserved");
	}
	if (!EMAIL_PATTERN.test(email)) throw new ValidationError("email", "Email is invalid");
	const passwordError = input.passwordHash ? undefined : passwordProblem(input.password);
	if (passwordError) throw new ValidationError("password", passwordError);

	const [taken, emailTaken, storedDomain] = await db.batch([
		db
			.select({ id: accounts.id })
			.from(accounts)
			.where(eq(accounts.acctKey, `${username.toLowerCase()}@`))
			.limit(1),
		db
			.select({ id: users.id })
			.from(users)
			.where(eq(sql`lower(${users.email})`, email))
			.limit(1),
		storedDomainQuery(db),
	]);
	checkDomainForUris(config.domain, storedDomain[0]?.value);
	if (taken.length > 0) throw new ValidationError("username", "Username is already taken");
	if (emailTaken.length > 0) throw new ValidationError("email", "Email is already taken");

	const now = new Date();
	const accountId = newId(now);
	const account: NewAccount = {
		id: accountId,
		username,
		domain: null,
		displayName: input.displayName ?? "",
		note: "",
		noteHtml: plainTextToHtml(""),
		...localActorUrls(config, username),
		createdAt: now,
		updatedAt: now,
	};
	const user: NewUser = {
		id: newId(now),
		accountId,
		email,
		passwordHash: input.passwordHash ?? (await hashPassword(input.password, input.passwordCost)),
		role: input.role ?? "user",
		confirmedAt: input.confirmed ? now : null,
		approved: input.approved ?? true,
		createdAt: now,
	};
	const keys = input.keys ? await input.keys(accountId) : undefined;
	return { account, user, keys, domain: config.domain };
}

/**
 * The statements that write a prepared account, the account's and the user's
 * (returning their rows) first, for one `db.batch()` with whatever else
 * belongs with them. The domain is stored in the same batch.
 */
export function localAccountWrites(db: Db, prepared: PreparedAccount) {
	const insertAccount = db.insert(accounts).values(prepared.account).returning();
	const insertUser = db.insert(users).values(prepared.user).returning();
	const rest = [pinDomain(db, prepared.domain, prepared.account.createdAt)];
	return {
		insertAccount,
		insertUser,
		rest: prepared.keys ? [...rest, db.insert(accountKeys).values(prepared.keys)] : rest,
	};
}

/** Two sign-ups racing past the checks meet the unique indexes; this names what was taken. */
export function takenError(error: unknown): ValidationError | undefined {
	const message = String((error as Error)?.message ?? error);
	const cause = String(((error as Error)?.cause as Error | undefined)?.message ?? "");
	const text = `${message} ${cause}`;
	if (text.includes("accounts.acct_key")) return new ValidationError("username", "Username is already taken");
	if (text.includes("users.email")) return new ValidationError("email", "Email is already taken");
	return undefined;
}

/** Creates a local account and its user atomically, after checking every rule. */
export async function createLocalAccount(
	db: Db,
	config: InstanceConfig,
	input: CreateLocalAccountInput,
): Promise<CreatedAccount> {
	const prepared = await prepareLocalAccount(db, config, input);
	const { insertAccount, insertUser, rest } = localAccountWrites(db, prepared);
	try {
		const [[account], [user]] = await db.batch([insertAccount, insertUser, ...rest]);
		return { account: account as Account, user: user as User };
	} catch (error) {
		throw takenError(error) ?? error;
	}
}

export interface LocalUserRow {
	account: Account;
	user: User;
}

export async function listLocalUsers(db: Db): Promise<LocalUserRow[]> {
	return db
		.select({ account: accounts, user: users })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.orderBy(accounts.id);
}
