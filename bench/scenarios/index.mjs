// Every scenario, in the order they run. Read paths first (they leave the data
// as seeded), then writes, then the post with its delivery fan-out. Fetching an
// uploaded file comes after the upload that makes it.
import { withBackgroundCosts } from "../lib/durable-metrics.mjs";
import accountStatuses from "./account-statuses.mjs";
import actor from "./actor.mjs";
import favourite from "./favourite.mjs";
import { homeDeep, homeFirst } from "./home-timeline.mjs";
import inboxCreate, { inboxCreateFollowed } from "./inbox-create.mjs";
import { followLocked, followUnlocked } from "./inbox-follow.mjs";
import inboxRepeat from "./inbox-repeat.mjs";
import { mediaGet, mediaUpload } from "./media.mjs";
import notifications from "./notifications.mjs";
import oauthToken from "./oauth-token.mjs";
import postStatus from "./post-status.mjs";
import searchStatuses from "./search-statuses.mjs";
import signIn from "./sign-in.mjs";
import statusAp from "./status-ap.mjs";
import verifyCredentials from "./verify-credentials.mjs";
import webfinger from "./webfinger.mjs";

export const SCENARIOS = [
	webfinger,
	actor,
	statusAp,
	verifyCredentials,
	homeFirst,
	homeDeep,
	notifications,
	accountStatuses,
	searchStatuses,
	// Writes whose background work (queues, waitUntil) is summed per request as well.
	...[inboxCreate, inboxCreateFollowed, followUnlocked, followLocked].map(withBackgroundCosts),
	inboxRepeat,
	oauthToken,
	signIn,
	favourite,
	mediaUpload,
	mediaGet,
	withBackgroundCosts(postStatus),
];
