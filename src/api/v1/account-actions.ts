import { and, eq } from "drizzle-orm";
import { accountNotes } from "../../db/schema";
import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeRelationship } from "../../serializers/mastodon/relationship";
import { block, unblock } from "../../services/accounts/blocks";
import { follow, removeFollower, unfollow } from "../../services/accounts/following";
import { mute, unmute } from "../../services/accounts/mutes";
import { loadRelationship } from "../../services/accounts/relationships";
import { streamViewerChanged } from "../../services/streaming/publish";
import { requireAccount } from "./account-views";

const NOTE_MAX_LENGTH = 2000;

async function relationshipResponse(ctx: AppContext, viewerId: string, targetId: string): Promise<Response> {
	return json(serializeRelationship(await loadRelationship(ctx.db, viewerId, targetId)));
}

async function actors(request: AppRequest, ctx: AppContext, scope: string) {
	const auth = await requireUser(request, ctx, scope);
	const target = await requireAccount(ctx, request.params.id ?? "");
	return { me: auth.account, target };
}

/** What a user does to another account: follow, block, mute, and a private note. Each answers the Relationship. */
export function accountActionRoutes(router: AppRouter): void {
	router.post("/api/v1/accounts/:id/follow", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:follows");
		const params = await readParams(request);
		// Absent keeps the current choice; an empty list means every language again.
		const languages = params.has("languages") ? (params.stringArray("languages") ?? []) : undefined;
		await follow(ctx.db, ctx.env, me, target, {
			reblogs: params.boolean("reblogs"),
			notify: params.boolean("notify"),
			languages: languages === undefined ? undefined : languages.length > 0 ? languages : null,
		});
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/unfollow", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:follows");
		await unfollow(ctx.db, ctx.env, me, target);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/remove_from_followers", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:follows");
		await removeFollower(ctx.db, ctx.env, me, target);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/block", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:blocks");
		await block(ctx.db, ctx.env, me, target);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/unblock", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:blocks");
		await unblock(ctx.db, ctx.env, me, target);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/mute", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:mutes");
		const params = await readParams(request);
		await mute(ctx.db, me, target, {
			notifications: params.boolean("notifications"),
			duration: params.integer("duration", { min: 0 }),
		});
		await streamViewerChanged(ctx, [me.id]);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/unmute", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:mutes");
		await unmute(ctx.db, me, target);
		await streamViewerChanged(ctx, [me.id]);
		return relationshipResponse(ctx, me.id, target.id);
	});

	router.post("/api/v1/accounts/:id/note", async (request, ctx) => {
		const { me, target } = await actors(request, ctx, "write:accounts");
		const params = await readParams(request);
		const comment = (params.string("comment", { maxLength: NOTE_MAX_LENGTH }) ?? "").trim();
		const where = and(eq(accountNotes.accountId, me.id), eq(accountNotes.targetAccountId, target.id));
		if (comment === "") {
			await ctx.db.delete(accountNotes).where(where);
		} else {
			const updatedAt = new Date();
			await ctx.db
				.insert(accountNotes)
				.values({ accountId: me.id, targetAccountId: target.id, comment, updatedAt })
				.onConflictDoUpdate({
					target: [accountNotes.accountId, accountNotes.targetAccountId],
					set: { comment, updatedAt },
				});
		}
		return relationshipResponse(ctx, me.id, target.id);
	});
}
