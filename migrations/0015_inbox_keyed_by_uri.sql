PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inbox_activities` (
	`uri` text PRIMARY KEY NOT NULL,
	`id` text,
	`actor_uri` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`recipient_account_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`processed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_inbox_activities`("uri", "id", "actor_uri", "type", "body", "recipient_account_id", "attempts", "processed_at", "created_at") SELECT "uri", "id", "actor_uri", "type", "body", "recipient_account_id", "attempts", "processed_at", "created_at" FROM `inbox_activities`;--> statement-breakpoint
DROP TABLE `inbox_activities`;--> statement-breakpoint
ALTER TABLE `__new_inbox_activities` RENAME TO `inbox_activities`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `inbox_activities_pending` ON `inbox_activities` (`created_at`) WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX `inbox_activities_id` ON `inbox_activities` (`id`);