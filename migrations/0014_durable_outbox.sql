CREATE TABLE `outbox_events` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `home_feed_author`;--> statement-breakpoint
DROP INDEX `statuses_conversation_id`;--> statement-breakpoint
DROP INDEX `statuses_in_reply_to_id`;--> statement-breakpoint
DROP INDEX `statuses_reblog_of_id`;--> statement-breakpoint
DROP INDEX `statuses_account_id_reblog_of_id`;--> statement-breakpoint
CREATE INDEX `statuses_in_reply_to_id` ON `statuses` (`in_reply_to_id`) WHERE in_reply_to_id is not null;--> statement-breakpoint
CREATE INDEX `statuses_reblog_of_id` ON `statuses` (`reblog_of_id`) WHERE reblog_of_id is not null;--> statement-breakpoint
CREATE INDEX `statuses_account_id_reblog_of_id` ON `statuses` (`account_id`,`reblog_of_id`) WHERE reblog_of_id is not null;--> statement-breakpoint
ALTER TABLE `outbox_activities` ADD `inboxes` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox_activities` ADD `next_at` integer;--> statement-breakpoint
ALTER TABLE `outbox_activities` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `inbox_activities` ADD `attempts` integer DEFAULT 0 NOT NULL;