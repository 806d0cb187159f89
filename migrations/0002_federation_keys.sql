CREATE TABLE `remote_public_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`public_key` text NOT NULL,
	`fetched_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `remote_public_keys_account_id` ON `remote_public_keys` (`account_id`);--> statement-breakpoint
CREATE TABLE `signature_spec_preferences` (
	`host` text PRIMARY KEY NOT NULL,
	`spec` text NOT NULL,
	`updated_at` integer NOT NULL
);
