// Every scenario, in the order they run. Read paths first (they leave the data
// as seeded), then writes, then the post with its delivery fan-out.
import accountStatuses from "./account-statuses.mjs";
import actor from "./actor.mjs";
import { homeDeep, homeFirst } from "./home-timeline.mjs";
import inboxCreate from "./inbox-create.mjs";
import { followLocked, followUnlocked } from "./inbox-follow.mjs";
import notifications from "./notifications.mjs";
import oauthToken from "./oauth-token.mjs";
import postStatus from "./post-status.mjs";
import searchStatuses from "./search-statuses.mjs";
import signIn from "./sign-in.mjs";
import statusAp from "./status-ap.mjs";
import { streamLive, streamQuiet } from "./streaming.mjs";
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
	inboxCreate,
	followUnlocked,
	followLocked,
	oauthToken,
	signIn,
	streamQuiet,
	streamLive,
	postStatus,
];
