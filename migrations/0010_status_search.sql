CREATE TABLE `search_backfill` (
	`id` text PRIMARY KEY NOT NULL,
	`before_id` text,
	`done_at` integer
);
--> statement-breakpoint
CREATE TABLE `status_search_documents` (
	`status_id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`terms` text NOT NULL,
	`has_link` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `status_search_terms` (
	`term` text NOT NULL,
	`status_id` text NOT NULL,
	PRIMARY KEY(`term`, `status_id`)
);
