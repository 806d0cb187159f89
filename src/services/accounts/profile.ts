import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Account, accounts, type PostingPrivacy, type ProfileField, type User, users } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { ACCOUNT_LIMITS } from "../../lib/limits";
import { plainTextToHtml } from "../../lib/text/html";
import { type CheckedImage, checkImage, mediaFileUrl, putMediaFile } from "../media/files";

export interface ProfileUpdate {
	displayName?: string;
	note?: string;
	locked?: boolean;
	bot?: boolean;
	discoverable?: boolean;
	indexable?: boolean;
	hideCollections?: boolean;
	fields?: { name: string; value: string }[];
	avatar?: File;
	header?: File;
	avatarDescription?: string;
	headerDescription?: string;
	privacy?: string;
	sensitive?: boolean;
	language?: string | null;
}

const PRIVACIES: readonly PostingPrivacy[] = ["public", "unlisted", "private", "direct"];

function checkLength(field: string, value: string | undefined, max: number): void {
	if (value !== undefined && [...value].length > max) {
		throw new ValidationError(field, `${field} is too long (maximum is ${max} characters)`);
	}
}

async function storeProfileImage(
	bucket: R2Bucket,
	config: InstanceConfig,
	kind: "avatars" | "headers",
	image: CheckedImage,
) {
	const key = `${kind}/${newId()}/original.${image.extension}`;
	await putMediaFile(bucket, key, image.bytes, image.contentType);
	return mediaFileUrl(config.origin, key);
}

/** Checks everything first, then stores images and writes both rows in one batch. */
export async function updateProfile(
	db: Db,
	bucket: R2Bucket,
	config: InstanceConfig,
	current: { account: Account; user: User },
	update: ProfileUpdate,
): Promise<{ account: Account; user: User }> {
	checkLength("display_name", update.displayName, ACCOUNT_LIMITS.maxDisplayNameLength);
	checkLength("note", update.note, ACCOUNT_LIMITS.maxNoteLength);
	checkLength("avatar_description", update.avatarDescription, ACCOUNT_LIMITS.maxAvatarDescriptionLength);
	checkLength("header_description", update.headerDescription, ACCOUNT_LIMITS.maxHeaderDescriptionLength);
	let fields: ProfileField[] | undefined;
	if (update.fields) {
		const kept = update.fields
			.map((field) => ({ name: field.name.trim(), value: field.value.trim() }))
			.filter((field) => field.name !== "" || field.value !== "");
		if (kept.length > ACCOUNT_LIMITS.maxProfileFields) {
			throw new ValidationError("fields_attributes", `At most ${ACCOUNT_LIMITS.maxProfileFields} profile fields`);
		}
		for (const field of kept) {
			checkLength("fields_attributes", field.name, ACCOUNT_LIMITS.profileFieldNameLimit);
			checkLength("fields_attributes", field.value, ACCOUNT_LIMITS.profileFieldValueLimit);
		}
		// A field whose value is unchanged keeps its verification.
		fields = kept.map((field) => ({
			...field,
			verifiedAt: current.account.fields.find((old) => old.value === field.value)?.verifiedAt ?? null,
		}));
	}
	if (update.privacy !== undefined && !PRIVACIES.includes(update.privacy as PostingPrivacy)) {
		throw new ValidationError("source[privacy]", "Privacy must be public, unlisted, private or direct");
	}
	if (update.language && !/^[a-z]{2,3}$/.test(update.language)) {
		throw new ValidationError("source[language]", "Language must be an ISO 639 code");
	}

	const avatar = update.avatar && (await checkImage(update.avatar, "avatar", ACCOUNT_LIMITS.maxProfileImageBytes));
	const header = update.header && (await checkImage(update.header, "header", ACCOUNT_LIMITS.maxProfileImageBytes));

	const accountChanges: Partial<Account> = { updatedAt: new Date() };
	if (update.displayName !== undefined) accountChanges.displayName = update.displayName.trim();
	if (update.note !== undefined) {
		accountChanges.note = update.note;
		accountChanges.noteHtml = plainTextToHtml(update.note);
	}
	if (update.locked !== undefined) accountChanges.locked = update.locked;
	if (update.bot !== undefined) {
		accountChanges.bot = update.bot;
		accountChanges.actorType = update.bot ? "Service" : "Person";
	}
	if (update.discoverable !== undefined) accountChanges.discoverable = update.discoverable;
	if (update.indexable !== undefined) accountChanges.indexable = update.indexable;
	if (update.hideCollections !== undefined) accountChanges.hideCollections = update.hideCollections;
	if (update.avatarDescription !== undefined) accountChanges.avatarDescription = update.avatarDescription;
	if (update.headerDescription !== undefined) accountChanges.headerDescription = update.headerDescription;
	if (fields) accountChanges.fields = fields;
	if (avatar) accountChanges.avatarUrl = await storeProfileImage(bucket, config, "avatars", avatar);
	if (header) accountChanges.headerUrl = await storeProfileImage(bucket, config, "headers", header);

	const userChanges: Partial<User> = {};
	if (update.privacy !== undefined) userChanges.defaultPrivacy = update.privacy as PostingPrivacy;
	if (update.sensitive !== undefined) userChanges.defaultSensitive = update.sensitive;
	if (update.language !== undefined) userChanges.defaultLanguage = update.language || null;

	const accountUpdate = db.update(accounts).set(accountChanges).where(eq(accounts.id, current.account.id)).returning();
	// Followers' servers re-read the profile on an Update of the actor.
	const announce = publishOutboxEvent(db, { type: "account.updated", accountId: current.account.id });
	if (Object.keys(userChanges).length === 0) {
		const [[account]] = await db.batch([accountUpdate, announce]);
		return { account: account as Account, user: current.user };
	}
	const [[account], , [user]] = await db.batch([
		accountUpdate,
		announce,
		db.update(users).set(userChanges).where(eq(users.id, current.user.id)).returning(),
	]);
	return { account: account as Account, user: user as User };
}
