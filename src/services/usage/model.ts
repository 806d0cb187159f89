import { type BilledUsage, type FreeQuota, freeQuotaShares, paidMonthlyBill, scaleUsage, sumBilled } from "./pricing";

/**
 * The cost model: what a community of N members spends in a day, from an
 * activity profile (what a member and the fediverse around them do) times what
 * each operation costs (measured by the benchmark, `npm run bench`).
 * `npm run cost` prints it for the reference communities; docs/costs.md
 * explains every number. The admin's usage report compares the real counters
 * with the same model.
 */

/** What one operation costs, in billing units (`requests` 1 for a request; queue work included). */
export type OperationCost = BilledUsage;

/** The operations the model counts, each measured by a bench scenario (see OPERATION_SCENARIOS in bench/cost.mjs). */
export interface OperationCosts {
	/** An app opening: verify_credentials. */
	appOpen: OperationCost;
	homePage: OperationCost;
	notificationsPage: OperationCost;
	/** A post: the request and its fan-out, without the deliveries (`perInbox` below). */
	post: OperationCost;
	/** One delivery of a post to one remote inbox. */
	deliveryPerInbox: OperationCost;
	favourite: OperationCost;
	mediaUpload: OperationCost;
	/** A client fetching one stored file (avatar, attachment) through the Worker. */
	mediaView: OperationCost;
	/** A post from an account someone here follows: stored, indexed, put in home feeds, with its queue work. */
	inboundPost: OperationCost;
	/** Any other signed activity from another server (a reaction, a deletion of someone unknown), with its queue work. */
	inboundActivity: OperationCost;
	/** Another server reading an actor or a post (after a delivery, on a lookup). */
	remoteRead: OperationCost;
}

/** One member's day, and the fediverse traffic each member brings in. */
export interface ActivityProfile {
	sessions: number;
	/** Home pages per session (the first, plus scrolling back). */
	homePagesPerSession: number;
	notificationPagesPerSession: number;
	/** Posts, replies and boosts. */
	posts: number;
	favourites: number;
	mediaUploads: number;
	/** Files fetched from the instance that the app had not cached (avatars, attachments). */
	mediaViews: number;
	/** Remote accounts each member follows. */
	follows: number;
	/** Servers a member's followers are on (deliveries go once per shared inbox). */
	followerServers: number;
	/** Activities (posts, boosts, edits, deletes) a followed remote account sends a day. */
	activitiesPerFollowedAccount: number;
	/** Replies, favourites and boosts from elsewhere on each of a member's posts. */
	remoteReactionsPerPost: number;
	/** Reads of the author's actor or post by other servers per delivery. */
	remoteReadsPerDelivery: number;
	/** Activities the instance receives whatever its members do (account deletions broadcast to every server it knows, relays). */
	backgroundActivitiesPerDay: number;
	/**
	 * How much members' follows overlap: the instance follows `follows × N^overlapExponent`
	 * distinct remote accounts (1 = no overlap), and gets each one's activities once.
	 */
	overlapExponent: number;
}

export interface ReferenceCommunity {
	name: string;
	members: number;
}

export const REFERENCE_COMMUNITIES: ReferenceCommunity[] = [
	{ name: "one person", members: 1 },
	{ name: "10 members", members: 10 },
	{ name: "50 members", members: 50 },
	{ name: "200 members", members: 200 },
];

/**
 * The profile of an active member; docs/costs.md gives the source or the
 * reasoning for each number. It is deliberately busier than the average
 * account (most accounts post far less), so the model errs on the side of cost.
 */
export const ACTIVE_MEMBER: ActivityProfile = {
	sessions: 10,
	homePagesPerSession: 1.5,
	notificationPagesPerSession: 1,
	posts: 2,
	favourites: 10,
	mediaUploads: 0.3,
	mediaViews: 40,
	follows: 150,
	followerServers: 60,
	activitiesPerFollowedAccount: 1.5,
	remoteReactionsPerPost: 3,
	remoteReadsPerDelivery: 0.1,
	backgroundActivitiesPerDay: 500,
	overlapExponent: 0.85,
};

/** How many times each operation happens in a day for a community of `members`. */
export function dailyOperations(members: number, profile: ActivityProfile): Record<keyof OperationCosts, number> {
	const posts = members * profile.posts;
	const deliveries = posts * profile.followerServers;
	const followedAccounts = profile.follows * members ** profile.overlapExponent;
	return {
		appOpen: members * profile.sessions,
		homePage: members * profile.sessions * profile.homePagesPerSession,
		notificationsPage: members * profile.sessions * profile.notificationPagesPerSession,
		post: posts,
		deliveryPerInbox: deliveries,
		favourite: members * profile.favourites,
		mediaUpload: members * profile.mediaUploads,
		mediaView: members * profile.mediaViews,
		inboundPost: followedAccounts * profile.activitiesPerFollowedAccount,
		inboundActivity: posts * profile.remoteReactionsPerPost + profile.backgroundActivitiesPerDay,
		remoteRead: deliveries * profile.remoteReadsPerDelivery,
	};
}

export function dailyUsage(members: number, profile: ActivityProfile, costs: OperationCosts): BilledUsage {
	const counts = dailyOperations(members, profile);
	return sumBilled(
		(Object.keys(counts) as (keyof OperationCosts)[]).map((operation) =>
			scaleUsage(costs[operation], counts[operation]),
		),
	);
}

export interface CommunityCost {
	community: ReferenceCommunity;
	daily: BilledUsage;
	freeShares: Record<FreeQuota, number>;
	/** The Free quota this community uses the largest share of. */
	tightestQuota: FreeQuota;
	fitsFree: boolean;
	paidMonthlyUsd: number;
	paidLines: Record<string, number>;
}

export function communityCost(
	community: ReferenceCommunity,
	profile: ActivityProfile,
	costs: OperationCosts,
): CommunityCost {
	const daily = dailyUsage(community.members, profile, costs);
	const freeShares = freeQuotaShares(daily);
	const [tightestQuota, tightest] = (Object.entries(freeShares) as [FreeQuota, number][]).reduce((a, b) =>
		b[1] > a[1] ? b : a,
	);
	const bill = paidMonthlyBill(scaleUsage(daily, 30));
	return {
		community,
		daily,
		freeShares,
		tightestQuota,
		fitsFree: tightest <= 1,
		paidMonthlyUsd: bill.total,
		paidLines: bill.lines,
	};
}

/** The largest community that stays inside every Free quota, and the quota that stops it (searching up to `limit` members). */
export function largestFreeCommunity(
	profile: ActivityProfile,
	costs: OperationCosts,
	limit = 100_000,
): { members: number; quota: FreeQuota | null } {
	const fits = (members: number) =>
		Object.values(freeQuotaShares(dailyUsage(members, profile, costs))).every((share) => share <= 1);
	if (!fits(1)) {
		const shares = freeQuotaShares(dailyUsage(1, profile, costs));
		const [quota] = (Object.entries(shares) as [FreeQuota, number][]).reduce((a, b) => (b[1] > a[1] ? b : a));
		return { members: 0, quota };
	}
	let low = 1;
	let high = limit;
	if (fits(high)) return { members: limit, quota: null };
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (fits(middle)) low = middle;
		else high = middle;
	}
	const shares = freeQuotaShares(dailyUsage(high, profile, costs));
	const [quota] = (Object.entries(shares) as [FreeQuota, number][]).reduce((a, b) => (b[1] > a[1] ? b : a));
	return { members: low, quota };
}
