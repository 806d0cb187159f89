import { bearerToken, requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { type Params, readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { ValidationError } from "../../lib/errors";
import { serializeWebPushSubscription } from "../../serializers/mastodon/web-push-subscription";
import {
	createPushSubscription,
	deletePushSubscription,
	findPushSubscription,
	PUSH_ALERT_TYPES,
	type PushData,
	parsePolicy,
	updatePushSubscription,
} from "../../services/push/subscriptions";
import { vapidPublicKey } from "../../services/push/vapid-key";

const PATH = "/api/v1/push/subscription";

/** A missing part of `subscription` is a validation failure with details, as for a bad value. */
function present(value: string | undefined, field: string): string {
	if (!value) throw new ValidationError(field, `subscription ${field === "keys" ? "keys are" : `${field} is`} missing`);
	return value;
}

/** `data[alerts][…]` and `data[policy]`; alert names Mastodon does not know are ignored, as Rails does. */
function readData(params: Params): PushData {
	const data = params.object("data");
	const alertParams = data?.object("alerts");
	const alerts: Record<string, boolean> = {};
	for (const type of PUSH_ALERT_TYPES) {
		const value = alertParams?.boolean(type);
		if (value !== undefined) alerts[type] = value;
	}
	return { alerts, policy: parsePolicy(data?.string("policy", { maxLength: 20 })) };
}

export function pushRoutes(router: AppRouter): void {
	router.post(PATH, async (request, ctx) => {
		const auth = await requireUser(request, ctx, "push");
		const params = await readParams(request);
		const subscription = params.object("subscription");
		const keys = subscription?.object("keys");
		const row = await createPushSubscription(
			ctx.db,
			{ secret: ctx.env.KEY_ENCRYPTION_SECRET, allowPrivateAddresses: ctx.config.allowPrivateAddresses },
			{ accountId: auth.account.id, tokenId: auth.tokenId, accessToken: bearerToken(request) ?? "" },
			{
				endpoint: present(subscription?.string("endpoint", { maxLength: 2048 }), "endpoint"),
				p256dh: present(keys?.string("p256dh", { maxLength: 200 }), "keys"),
				auth: present(keys?.string("auth", { maxLength: 100 }), "keys"),
				standard: subscription?.boolean("standard") ?? false,
				data: readData(params),
			},
		);
		return json(serializeWebPushSubscription(row, await vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET)));
	});

	router.get(PATH, async (request, ctx) => {
		const auth = await requireUser(request, ctx, "push");
		const row = await findPushSubscription(ctx.db, auth.tokenId);
		if (!row) throw notFound();
		return json(serializeWebPushSubscription(row, await vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET)));
	});

	router.put(PATH, async (request, ctx) => {
		const auth = await requireUser(request, ctx, "push");
		const data = readData(await readParams(request));
		const row = await updatePushSubscription(ctx.db, auth.tokenId, data);
		if (!row) throw notFound();
		return json(serializeWebPushSubscription(row, await vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET)));
	});

	router.delete(PATH, async (request, ctx) => {
		const auth = await requireUser(request, ctx, "push");
		await deletePushSubscription(ctx.db, auth.tokenId);
		return json({});
	});
}
