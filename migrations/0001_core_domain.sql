CREATE TABLE `bookmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookmarks_pair` ON `bookmarks` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `bookmarks_account` ON `bookmarks` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `favourites` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`uri` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `favourites_pair` ON `favourites` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `favourites_status` ON `favourites` (`status_id`,`id`);--> statement-breakpoint
CREATE INDEX `favourites_account` ON `favourites` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `home_feed` (
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`author_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `status_id`)
);
--> statement-breakpoint
CREATE INDEX `home_feed_author` ON `home_feed` (`account_id`,`author_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`from_account_id` text NOT NULL,
	`type` text NOT NULL,
	`status_id` text,
	`group_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_account` ON `notifications` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_group` ON `notifications` (`account_id`,`group_key`);--> statement-breakpoint
CREATE TABLE `media_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text,
	`type` text NOT NULL,
	`file_key` text,
	`thumbnail_key` text,
	`remote_url` text,
	`content_type` text,
	`file_size` integer,
	`width` integer,
	`height` integer,
	`blurhash` text,
	`description` text,
	`focus_x` real,
	`focus_y` real,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `media_attachments_status_id` ON `media_attachments` (`status_id`);--> statement-breakpoint
CREATE INDEX `media_attachments_account_id` ON `media_attachments` (`account_id`);--> statement-breakpoint
CREATE TABLE `poll_votes` (
	`id` text PRIMARY KEY NOT NULL,
	`poll_id` text NOT NULL,
	`account_id` text NOT NULL,
	`choice` integer NOT NULL,
	`uri` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `poll_votes_unique` ON `poll_votes` (`poll_id`,`account_id`,`choice`);--> statement-breakpoint
CREATE INDEX `poll_votes_account` ON `poll_votes` (`account_id`);--> statement-breakpoint
CREATE TABLE `polls` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	`options` text NOT NULL,
	`multiple` integer DEFAULT false NOT NULL,
	`hide_totals` integer DEFAULT false NOT NULL,
	`votes_count` integer DEFAULT 0 NOT NULL,
	`voters_count` integer,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`uri` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocks_pair` ON `blocks` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `blocks_target` ON `blocks` (`target_account_id`);--> statement-breakpoint
CREATE TABLE `follow_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`uri` text,
	`show_reblogs` integer DEFAULT true NOT NULL,
	`notify` integer DEFAULT false NOT NULL,
	`languages` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_requests_pair` ON `follow_requests` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `follow_requests_target` ON `follow_requests` (`target_account_id`,`id`);--> statement-breakpoint
CREATE INDEX `follow_requests_uri` ON `follow_requests` (`uri`);--> statement-breakpoint
CREATE TABLE `follows` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`uri` text,
	`show_reblogs` integer DEFAULT true NOT NULL,
	`notify` integer DEFAULT false NOT NULL,
	`languages` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follows_pair` ON `follows` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `follows_target` ON `follows` (`target_account_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `follows_uri` ON `follows` (`uri`);--> statement-breakpoint
CREATE TABLE `mutes` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`hide_notifications` integer DEFAULT true NOT NULL,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mutes_pair` ON `mutes` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE TABLE `mentions` (
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	`silent` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`status_id`, `account_id`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mentions_account_id` ON `mentions` (`account_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `status_edits` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	`content` text NOT NULL,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`media_attachment_ids` text,
	`poll_options` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_edits_status_id` ON `status_edits` (`status_id`,`id`);--> statement-breakpoint
CREATE TABLE `status_pins` (
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `status_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `status_tags` (
	`status_id` text NOT NULL,
	`tag_id` text NOT NULL,
	PRIMARY KEY(`status_id`, `tag_id`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_tags_tag_id` ON `status_tags` (`tag_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`uri` text NOT NULL,
	`url` text,
	`account_id` text NOT NULL,
	`local` integer NOT NULL,
	`in_reply_to_id` text,
	`in_reply_to_account_id` text,
	`in_reply_to_uri` text,
	`reblog_of_id` text,
	`text` text,
	`content` text DEFAULT '' NOT NULL,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`visibility` text NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`language` text,
	`conversation_id` text,
	`application_id` text,
	`poll_id` text,
	`replies_count` integer DEFAULT 0 NOT NULL,
	`reblogs_count` integer DEFAULT 0 NOT NULL,
	`favourites_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statuses_uri` ON `statuses` (`uri`);--> statement-breakpoint
CREATE INDEX `statuses_account_id_id` ON `statuses` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_in_reply_to_id` ON `statuses` (`in_reply_to_id`);--> statement-breakpoint
CREATE INDEX `statuses_reblog_of_id` ON `statuses` (`reblog_of_id`);--> statement-breakpoint
CREATE INDEX `statuses_visibility_id` ON `statuses` (`visibility`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_conversation_id` ON `statuses` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_name` ON `tags` (`name`);