import type { AppRouter } from "../../http/router";
import {
	accountForm,
	appsPage,
	continueAccountCheck,
	endSessionForm,
	revokeAppForm,
	saveEmail,
	savePassword,
	sessionsPage,
} from "./account";
import { forMember } from "./frame";
import { preferencesForm, profileForm, savePreferences, saveProfile } from "./profile";
import {
	beginForm,
	confirmForm,
	continueTwoFactorCheck,
	disableForm,
	recoveryCodesForm,
	twoFactorPage,
} from "./two-factor";

/** A member's own settings at /settings: profile, preferences, email and password, two-factor, apps, sessions. */
export function settingsRoutes(router: AppRouter): void {
	router.get("/settings", () => new Response(null, { status: 303, headers: { Location: "/settings/profile" } }));
	router.get(
		"/settings/profile",
		forMember("profile", async (_r, ctx, member) => profileForm(ctx, member)),
	);
	router.post("/settings/profile", forMember("profile", saveProfile));
	router.get(
		"/settings/preferences",
		forMember("preferences", async (_r, ctx, member) => preferencesForm(ctx, member)),
	);
	router.post("/settings/preferences", forMember("preferences", savePreferences));
	router.get(
		"/settings/account",
		forMember("account", async (_r, ctx, member) => accountForm(ctx, member)),
	);
	router.post("/settings/account/email", forMember("account", saveEmail));
	router.post("/settings/account/password", forMember("account", savePassword));
	router.get("/settings/account/check", forMember("account", continueAccountCheck));
	router.get(
		"/settings/two_factor",
		forMember("two_factor", async (_r, ctx, member) => twoFactorPage(ctx, member)),
	);
	router.post("/settings/two_factor/begin", forMember("two_factor", beginForm));
	router.post("/settings/two_factor/confirm", forMember("two_factor", confirmForm));
	router.post("/settings/two_factor/recovery_codes", forMember("two_factor", recoveryCodesForm));
	router.post("/settings/two_factor/disable", forMember("two_factor", disableForm));
	router.get("/settings/two_factor/check", forMember("two_factor", continueTwoFactorCheck));
	router.get(
		"/settings/apps",
		forMember("apps", async (_r, ctx, member) => appsPage(ctx, member)),
	);
	router.post("/settings/apps/revoke", forMember("apps", revokeAppForm));
	router.get(
		"/settings/sessions",
		forMember("sessions", async (_r, ctx, member) => sessionsPage(ctx, member)),
	);
	router.post("/settings/sessions/end", forMember("sessions", endSessionForm));
}
