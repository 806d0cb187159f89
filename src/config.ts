export type RegistrationMode = "open" | "approval" | "closed";

export interface InstanceConfig {
	/** Host with port when not default, e.g. `tern.example` or `localhost:8787`. */
	domain: string;
	/** `https://tern.example`: the base of every local URL and ActivityPub id. */
	origin: string;
	title: string;
	description: string;
	contactEmail: string;
	registrationMode: RegistrationMode;
	allowPrivateAddresses: boolean;
	/** Actor, status and collection GETs require an HTTP signature (Mastodon's secure mode). */
	authorizedFetch: boolean;
}

export const REGISTRATION_MODES: readonly RegistrationMode[] = ["open", "approval", "closed"];

/** A host name, with a port only when it is not the scheme's default. */
export const DOMAIN_PATTERN = /^[a-z0-9.-]+(:\d{1,5})?$/;

export class ConfigError extends Error {}

/**
 * Names kept for documentation (RFC 2606 and RFC 6761): `tern.example` in a
 * copied configuration, `social.example.com` from a tutorial. Account URIs are
 * written with the domain and can never change once other servers have them,
 * so an instance on one of these must not federate or make accounts.
 */
export function isPlaceholderDomain(domain: string): boolean {
	const host = domain.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
	return /(^|\.)(example|invalid)$/.test(host) || /(^|\.)example\.(com|net|org)$/.test(host);
}

/** Reads and checks the instance settings from the Worker's vars. */
export function instanceConfig(env: Env): InstanceConfig {
	const domain = env.INSTANCE_DOMAIN?.trim().toLowerCase();
	if (!domain || !DOMAIN_PATTERN.test(domain)) {
		throw new ConfigError(`INSTANCE_DOMAIN is not a valid host: ${JSON.stringify(env.INSTANCE_DOMAIN)}`);
	}
	const scheme = env.INSTANCE_SCHEME === "http" ? "http" : "https";
	const mode = env.REGISTRATION_MODE as RegistrationMode;
	return {
		domain,
		origin: `${scheme}://${domain}`,
		title: env.INSTANCE_TITLE || "Tern",
		description: env.INSTANCE_DESCRIPTION || "",
		contactEmail: env.INSTANCE_CONTACT_EMAIL || "",
		registrationMode: REGISTRATION_MODES.includes(mode) ? mode : "closed",
		allowPrivateAddresses: env.ALLOW_PRIVATE_ADDRESSES === "true",
		authorizedFetch: env.AUTHORIZED_FETCH === "true",
	};
}
