CREATE TABLE `usage_days` (
	`day` text PRIMARY KEY NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`queue_invocations` integer DEFAULT 0 NOT NULL,
	`cron_invocations` integer DEFAULT 0 NOT NULL,
	`queue_writes` integer DEFAULT 0 NOT NULL,
	`queue_reads` integer DEFAULT 0 NOT NULL,
	`queue_deletes` integer DEFAULT 0 NOT NULL,
	`d1_queries` integer DEFAULT 0 NOT NULL,
	`d1_rows_read` integer DEFAULT 0 NOT NULL,
	`d1_rows_written` integer DEFAULT 0 NOT NULL,
	`r2_class_a` integer DEFAULT 0 NOT NULL,
	`r2_class_b` integer DEFAULT 0 NOT NULL,
	`r2_bytes_written` integer DEFAULT 0 NOT NULL,
	`images_transformations` integer DEFAULT 0 NOT NULL,
	`do_requests` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
