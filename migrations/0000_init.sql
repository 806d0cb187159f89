CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`domain` text,
	`acct_key` text GENERATED ALWAYS AS (lower(username) || '@' || ifnull(lower(domain), '')) VIRTUAL,
	`display_name` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`note_html` text DEFAULT '' NOT NULL,
	`avatar_url` text,
	`avatar_description` text DEFAULT '' NOT NULL,
	`header_url` text,
	`header_description` text DEFAULT '' NOT NULL,
	`fields` text DEFAULT '[]' NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`bot` integer DEFAULT false NOT NULL,
	`is_group` integer DEFAULT false NOT NULL,
	`discoverable` integer DEFAULT true NOT NULL,
	`indexable` integer DEFAULT false NOT NULL,
	`hide_collections` integer DEFAULT false NOT NULL,
	`memorial` integer DEFAULT false NOT NULL,
	`uri` text NOT NULL,
	`url` text,
	`inbox_url` text,
	`shared_inbox_url` text,
	`outbox_url` text,
	`followers_url` text,
	`following_url` text,
	`featured_url` text,
	`also_known_as` text DEFAULT '[]' NOT NULL,
	`moved_to_account_id` text,
	`actor_type` text DEFAULT 'Person' NOT NULL,
	`followers_count` integer DEFAULT 0 NOT NULL,
	`following_count` integer DEFAULT 0 NOT NULL,
	`statuses_count` integer DEFAULT 0 NOT NULL,
	`last_status_at` integer,
	`suspended_at` integer,
	`fetched_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_acct_key` ON `accounts` (`acct_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_uri` ON `accounts` (`uri`);--> statement-breakpoint
CREATE INDEX `accounts_domain` ON `accounts` (`domain`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `account_keys` (
	`account_id` text PRIMARY KEY NOT NULL,
	`rsa_public_key_pem` text NOT NULL,
	`rsa_private_key_sealed` text NOT NULL,
	`ed25519_public_key_multibase` text NOT NULL,
	`ed25519_private_key_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `oauth_access_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`application_id` text,
	`user_id` text,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`application_id`) REFERENCES `oauth_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_access_tokens_token_hash` ON `oauth_access_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `oauth_access_tokens_user_id` ON `oauth_access_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `oauth_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`website` text,
	`redirect_uris` text NOT NULL,
	`scopes` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_applications_client_id` ON `oauth_applications` (`client_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`email` text NOT NULL,
	`password_hash` text,
	`role` text DEFAULT 'user' NOT NULL,
	`confirmed_at` integer,
	`approved` integer DEFAULT true NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`default_privacy` text DEFAULT 'public' NOT NULL,
	`default_sensitive` integer DEFAULT false NOT NULL,
	`default_language` text,
	`sign_up_reason` text,
	`last_sign_in_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_account_id` ON `users` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);