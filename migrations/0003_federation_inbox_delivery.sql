CREATE TABLE `domain_delivery_status` (
	`domain` text PRIMARY KEY NOT NULL,
	`failing_since` integer,
	`failure_count` integer DEFAULT 0 NOT NULL,
	`unavailable_since` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox_activities` (
	`id` text PRIMARY KEY NOT NULL,
	`uri` text NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox_activities` (
	`id` text PRIMARY KEY NOT NULL,
	`uri` text NOT NULL,
	`actor_uri` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`recipient_account_id` text,
	`processed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_activities_uri_unique` ON `inbox_activities` (`uri`);--> statement-breakpoint
CREATE INDEX `inbox_activities_created_at` ON `inbox_activities` (`created_at`);--> statement-breakpoint
CREATE TABLE `remote_emojis` (
	`id` text PRIMARY KEY NOT NULL,
	`shortcode` text NOT NULL,
	`domain` text NOT NULL,
	`url` text NOT NULL,
	`uri` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_emojis_shortcode_domain` ON `remote_emojis` (`shortcode`,`domain`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`status_ids` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`uri` text,
	`action_taken_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reports_target` ON `reports` (`target_account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_uri` ON `reports` (`uri`);--> statement-breakpoint
CREATE TABLE `status_reactions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`name` text NOT NULL,
	`emoji_url` text,
	`uri` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_reactions_unique` ON `status_reactions` (`account_id`,`status_id`,`name`);--> statement-breakpoint
CREATE INDEX `status_reactions_status` ON `status_reactions` (`status_id`);--> statement-breakpoint
CREATE INDEX `status_reactions_uri` ON `status_reactions` (`uri`);