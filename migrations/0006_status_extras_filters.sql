CREATE TABLE `account_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`participant_ids` text NOT NULL,
	`last_status_id` text NOT NULL,
	`unread` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_conversations_pair` ON `account_conversations` (`account_id`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `account_conversations_last` ON `account_conversations` (`account_id`,`last_status_id`);