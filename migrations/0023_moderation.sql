CREATE TABLE `account_domain_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`domain` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_domain_blocks_pair` ON `account_domain_blocks` (`account_id`,`domain`);--> statement-breakpoint
CREATE TABLE `account_warnings` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`target_account_id` text NOT NULL,
	`action` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`report_id` text,
	`status_ids` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `account_warnings_target` ON `account_warnings` (`target_account_id`,`id`);--> statement-breakpoint
CREATE TABLE `admin_action_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`human_identifier` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `admin_action_logs_account` ON `admin_action_logs` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `domain_allows` (
	`id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `domain_allows_domain` ON `domain_allows` (`domain`);--> statement-breakpoint
CREATE TABLE `domain_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`severity` text NOT NULL,
	`reject_media` integer DEFAULT false NOT NULL,
	`reject_reports` integer DEFAULT false NOT NULL,
	`private_comment` text,
	`public_comment` text,
	`obfuscate` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `domain_blocks_domain` ON `domain_blocks` (`domain`);--> statement-breakpoint
CREATE TABLE `email_domain_block_attempts` (
	`block_id` text NOT NULL,
	`day` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`block_id`, `day`),
	FOREIGN KEY (`block_id`) REFERENCES `email_domain_blocks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `email_domain_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`allow_with_approval` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_domain_blocks_domain` ON `email_domain_blocks` (`domain`);--> statement-breakpoint
CREATE TABLE `relationship_severance_events` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`target_name` text NOT NULL,
	`followers_count` integer DEFAULT 0 NOT NULL,
	`following_count` integer DEFAULT 0 NOT NULL,
	`followers` text DEFAULT '[]' NOT NULL,
	`following` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `relationship_severance_events_account` ON `relationship_severance_events` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `report_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`account_id` text,
	`content` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `report_notes_report` ON `report_notes` (`report_id`,`id`);--> statement-breakpoint
CREATE TABLE `sign_up_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`address_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_up_attempts_address` ON `sign_up_attempts` (`address_hash`,`created_at`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `suspension_origin` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `silenced_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `sensitized_at` integer;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `replay_requested_at` integer;--> statement-breakpoint
CREATE INDEX `dead_letters_replay` ON `dead_letters` (`replay_requested_at`);--> statement-breakpoint
ALTER TABLE `domain_delivery_status` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `subject_id` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `status_snapshots` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `category` text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `rule_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `forwarded` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `assigned_account_id` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `action_taken_by_account_id` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `updated_at` integer;--> statement-breakpoint
CREATE INDEX `reports_open` ON `reports` (`action_taken_at`,`id`);--> statement-breakpoint
ALTER TABLE `users` ADD `rejected_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `rejection_notice` text;--> statement-breakpoint
ALTER TABLE `users` ADD `sign_up_address_hash` text;