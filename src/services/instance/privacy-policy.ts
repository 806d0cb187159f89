import type { InstanceConfig } from "../../config";

/**
 * The privacy policy shown until the admin writes their own: what Tern
 * itself stores and sends, in Markdown, as true for every Tern instance.
 */
export function defaultPrivacyPolicy(config: InstanceConfig): string {
	const contact = config.contactEmail ? ` at ${config.contactEmail}` : "";
	return `# What this server keeps

- **Your account**: your username, email address, a salted hash of your password (never the password itself), your profile (display name, bio, profile fields, avatar and header images) and your settings.
- **What you post**: posts, media and their descriptions, polls and your votes, favourites, boosts, bookmarks, lists, filters, and who you follow, mute and block.
- **Signing in**: for each browser session, when it began and the browser's name (user agent), so you can see and end your sessions in your settings; for each app you authorize, its name and the permissions you gave it. Failed sign-ins are counted for fifteen minutes by a one-way hash of the email address and of the network address, to slow down password guessing.
- **Two-factor sign-in**: if you turn it on, its secret is stored encrypted.

This server sets one cookie when you sign in on the web (to keep you signed in) and one short-lived cookie on its forms (to protect them from other sites). It uses no analytics or advertising trackers.

# What other servers see

This server is part of the fediverse. Your public profile and your public and unlisted posts can be read by anyone. When you post, your post is sent to the servers of your followers and of the people you mention; followers-only and direct posts go only to those servers, but their admins can read what is stored there, and this server cannot make another server delete a copy. When you delete a post, a deletion is sent to the same servers.

Posts and profiles from other servers that reach this server are stored here so you can read them.

# Search engines

Your profile and public posts can appear in search engines unless you turn that off in your settings ("Ask search engines not to index my profile").

# Keeping and deleting

Your data stays as long as your account does. Ask the admin${contact} for a copy of your data or to delete your account.
`;
}
