import type { NotificationType } from "../../db/schema";
import { htmlToPlainText } from "../../lib/text/html";

/**
 * The JSON a push carries, with the fields Mastodon sends (see its
 * Web::NotificationSerializer): clients show `title`/`body`/`icon` at once
 * and fetch the notification by id when opened.
 */
export interface PushPayload {
	access_token: string;
	preferred_locale: string;
	/** Decimal digits; written into the JSON as a number (see encodePushPayload). */
	notification_id: string;
	notification_type: NotificationType;
	icon: string;
	title: string;
	body: string;
}

export interface PushSource {
	notificationId: string;
	type: NotificationType;
	fromName: string;
	fromAvatar: string;
	/** Status text (HTML or plain), its content warning, and the sender's bio for account-only notifications. */
	statusText: string | null;
	spoilerText: string | null;
	fromNote: string;
}

const BODY_LIMIT = 140;

const TITLES: Record<NotificationType, (name: string) => string> = {
	mention: (name) => `${name} mentioned you`,
	status: (name) => `${name} just posted`,
	reblog: (name) => `${name} boosted your post`,
	follow: (name) => `${name} followed you`,
	follow_request: (name) => `${name} requested to follow you`,
	favourite: (name) => `${name} favourited your post`,
	poll: () => "A poll has ended",
	update: (name) => `${name} edited a post`,
	"admin.sign_up": (name) => `${name} signed up`,
	"admin.report": (name) => `New report from ${name}`,
	moved: (name) => `${name} has moved to a new account`,
	moderation_warning: () => "A moderation decision about your account",
	severed_relationships: () => "Some of your follow relationships were severed",
};

function plain(text: string): string {
	return htmlToPlainText(text).trim();
}

function truncate(text: string): string {
	const chars = [...text];
	return chars.length <= BODY_LIMIT ? text : `${chars.slice(0, BODY_LIMIT - 1).join("")}…`;
}

/** Text of the notification: the warning if the post has one (never its hidden text), else the post, else the bio. */
export function pushBody(source: PushSource): string {
	const text = source.spoilerText || source.statusText || source.fromNote;
	return truncate(plain(text));
}

export function buildPushPayload(source: PushSource, accessToken: string, locale: string): PushPayload {
	return {
		access_token: accessToken,
		preferred_locale: locale,
		notification_id: source.notificationId,
		notification_type: source.type,
		icon: source.fromAvatar,
		title: TITLES[source.type](source.fromName),
		body: pushBody(source),
	};
}

/**
 * Mastodon sends `notification_id` as a JSON number and native apps decode it
 * as a 64-bit integer, so a string would fail there. Tern ids are 18 digits,
 * beyond a double's exact range, so the digits are spliced in as written.
 */
export function encodePushPayload(payload: PushPayload): string {
	if (!/^\d{1,19}$/.test(payload.notification_id)) return JSON.stringify(payload);
	const marker = "\u0000notification_id\u0000";
	return JSON.stringify({ ...payload, notification_id: marker }).replace(
		JSON.stringify(marker),
		payload.notification_id,
	);
}
