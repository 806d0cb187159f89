CREATE TABLE `sign_in_failures` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_key_created_at` ON `sign_in_failures` (`key`,`created_at`);