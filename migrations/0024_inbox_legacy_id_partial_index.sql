DROP INDEX `inbox_activities_id`;--> statement-breakpoint
CREATE INDEX `inbox_activities_id` ON `inbox_activities` (`id`) WHERE id is not null;