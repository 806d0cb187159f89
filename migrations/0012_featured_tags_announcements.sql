CREATE TABLE `announcement_reactions` (
	`announcement_id` text NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`custom_emoji_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`announcement_id`, `account_id`, `name`),
	FOREIGN KEY (`announcement_id`) REFERENCES `announcements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`custom_emoji_id`) REFERENCES `custom_emojis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `announcement_reactions_name` ON `announcement_reactions` (`announcement_id`,`name`);--> statement-breakpoint
CREATE TABLE `announcement_reads` (
	`announcement_id` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`announcement_id`, `account_id`),
	FOREIGN KEY (`announcement_id`) REFERENCES `announcements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `announcements` (
	`id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`published` integer DEFAULT true NOT NULL,
	`published_at` integer,
	`starts_at` integer,
	`ends_at` integer,
	`all_day` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `announcements_published_starts_at` ON `announcements` (`published`,`starts_at`);--> statement-breakpoint
CREATE TABLE `featured_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`name` text NOT NULL,
	`statuses_count` integer DEFAULT 0 NOT NULL,
	`last_status_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `featured_tags_account_tag` ON `featured_tags` (`account_id`,`tag_id`);--> statement-breakpoint
CREATE INDEX `featured_tags_tag` ON `featured_tags` (`tag_id`);