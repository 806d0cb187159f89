-- Hand-written: drizzle-kit does not generate triggers or backfills.
--
-- 1. Members who were kept out of search engines before `noindex` existed
--    (Tern used "not indexable" for it) stay out.
UPDATE `accounts` SET `noindex` = 1 WHERE `domain` IS NULL AND `indexable` = 0;
--> statement-breakpoint
-- 2. Public pages cache by these counters (src/db/schema/page-versions.ts):
--    `settings` (instance settings, rules, emojis, members), `posts` (any local
--    post), `account:<acct key>` (one account's profile, posts and threads).
CREATE TRIGGER `page_versions_settings_write` AFTER INSERT ON `instance_settings` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_settings_update` AFTER UPDATE ON `instance_settings` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_settings_delete` AFTER DELETE ON `instance_settings` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_rules_write` AFTER INSERT ON `instance_rules` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_rules_update` AFTER UPDATE ON `instance_rules` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_rules_delete` AFTER DELETE ON `instance_rules` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_emojis_write` AFTER INSERT ON `custom_emojis` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_emojis_delete` AFTER DELETE ON `custom_emojis` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_users_write` AFTER INSERT ON `users` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_users_update` AFTER UPDATE OF `approved`, `disabled` ON `users` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_users_delete` AFTER DELETE ON `users` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('settings', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_accounts_update` AFTER UPDATE ON `accounts` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	VALUES ('account:' || lower(NEW.`username`) || '@' || ifnull(lower(NEW.`domain`), ''), 1)
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
	INSERT INTO `page_versions` (`scope`, `version`) SELECT 'settings', 1 WHERE NEW.`domain` IS NULL AND NEW.`noindex` <> OLD.`noindex`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_local_status_insert` AFTER INSERT ON `statuses` WHEN NEW.`local` = 1 BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = NEW.`account_id` OR `id` = NEW.`in_reply_to_account_id`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('posts', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_local_status_update` AFTER UPDATE ON `statuses` WHEN NEW.`local` = 1 BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = NEW.`account_id` OR `id` = NEW.`in_reply_to_account_id`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('posts', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_local_status_delete` AFTER DELETE ON `statuses` WHEN OLD.`local` = 1 BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = OLD.`account_id` OR `id` = OLD.`in_reply_to_account_id`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
	INSERT INTO `page_versions` (`scope`, `version`) VALUES ('posts', 1) ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
-- A remote reply shows in the thread on a local post's page.
CREATE TRIGGER `page_versions_remote_reply_insert` AFTER INSERT ON `statuses`
WHEN NEW.`local` = 0 AND NEW.`in_reply_to_account_id` IS NOT NULL BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = NEW.`in_reply_to_account_id` AND `domain` IS NULL
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_poll_update` AFTER UPDATE ON `polls` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = NEW.`account_id` AND `domain` IS NULL
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_pin_insert` AFTER INSERT ON `status_pins` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = NEW.`account_id`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `page_versions_pin_delete` AFTER DELETE ON `status_pins` BEGIN
	INSERT INTO `page_versions` (`scope`, `version`)
	SELECT 'account:' || `acct_key`, 1 FROM `accounts` WHERE `id` = OLD.`account_id`
	ON CONFLICT (`scope`) DO UPDATE SET `version` = `version` + 1;
END;
