-- Hand-written (drizzle-kit cannot declare WITHOUT ROWID): the tables written
-- on every inbound activity, outbound activity and home-feed entry become
-- WITHOUT ROWID tables. A table with a text primary key otherwise keeps a
-- separate index for that key, and D1 bills every index entry as a row
-- written; here the primary key is the table. Columns and indexes are those of
-- the Drizzle schema (src/db/schema/delivery.ts, inbox.ts, interactions.ts).
CREATE TABLE `__wr_outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `__wr_outbox_events` SELECT `id`, `event`, `attempts`, `created_at` FROM `outbox_events`;--> statement-breakpoint
DROP TABLE `outbox_events`;--> statement-breakpoint
ALTER TABLE `__wr_outbox_events` RENAME TO `outbox_events`;--> statement-breakpoint
CREATE TABLE `__wr_outbox_activities` (
	`id` text PRIMARY KEY NOT NULL,
	`uri` text NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`inboxes` text DEFAULT '[]' NOT NULL,
	`next_at` integer,
	`version` integer DEFAULT 0 NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `__wr_outbox_activities` SELECT `id`, `uri`, `account_id`, `type`, `body`, `created_at`, `inboxes`, `next_at`, `version` FROM `outbox_activities`;--> statement-breakpoint
DROP TABLE `outbox_activities`;--> statement-breakpoint
ALTER TABLE `__wr_outbox_activities` RENAME TO `outbox_activities`;--> statement-breakpoint
CREATE TABLE `__wr_inbox_activities` (
	`uri` text PRIMARY KEY NOT NULL,
	`id` text,
	`actor_uri` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`recipient_account_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`processed_at` integer,
	`created_at` integer NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `__wr_inbox_activities` SELECT `uri`, `id`, `actor_uri`, `type`, `body`, `recipient_account_id`, `attempts`, `processed_at`, `created_at` FROM `inbox_activities`;--> statement-breakpoint
DROP TABLE `inbox_activities`;--> statement-breakpoint
ALTER TABLE `__wr_inbox_activities` RENAME TO `inbox_activities`;--> statement-breakpoint
CREATE INDEX `inbox_activities_pending` ON `inbox_activities` (`created_at`) WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX `inbox_activities_id` ON `inbox_activities` (`id`);--> statement-breakpoint
CREATE TABLE `__wr_home_feed` (
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`author_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `status_id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `__wr_home_feed` SELECT `account_id`, `status_id`, `author_id` FROM `home_feed`;--> statement-breakpoint
DROP TABLE `home_feed`;--> statement-breakpoint
ALTER TABLE `__wr_home_feed` RENAME TO `home_feed`;
