CREATE TABLE `stream_subscriptions` (
	`account_id` text NOT NULL,
	`stream` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `stream`)
);
--> statement-breakpoint
CREATE INDEX `stream_subscriptions_stream` ON `stream_subscriptions` (`stream`);--> statement-breakpoint
CREATE TABLE `link_cards` (
	`url` text PRIMARY KEY NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'link' NOT NULL,
	`provider_name` text DEFAULT '' NOT NULL,
	`author_name` text DEFAULT '' NOT NULL,
	`author_url` text,
	`language` text,
	`published_at` integer,
	`fetched_at` integer NOT NULL,
	`failed` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suggestion_dismissals` (
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `target_account_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trend_hidden` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `trend_scores` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`score` real DEFAULT 0 NOT NULL,
	`max_score` real DEFAULT 0 NOT NULL,
	`max_score_at` integer,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE INDEX `trend_scores_rank` ON `trend_scores` (`kind`,`score`);--> statement-breakpoint
CREATE TABLE `trend_uses` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`day` integer NOT NULL,
	`account_id` text NOT NULL,
	`uses` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`kind`, `key`, `day`, `account_id`)
);
--> statement-breakpoint
CREATE INDEX `trend_uses_day` ON `trend_uses` (`kind`,`day`);--> statement-breakpoint
CREATE TABLE `trend_watermarks` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `home_feed` ADD `reblog_of_id` text;