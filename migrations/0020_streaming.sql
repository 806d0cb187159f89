CREATE TABLE `stream_subscriptions` (
	`account_id` text NOT NULL,
	`stream` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `stream`)
);
--> statement-breakpoint
CREATE INDEX `stream_subscriptions_stream` ON `stream_subscriptions` (`stream`);--> statement-breakpoint
ALTER TABLE `home_feed` ADD `reblog_of_id` text;