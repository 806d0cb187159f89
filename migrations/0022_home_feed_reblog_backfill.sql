-- Hand-written backfill: boosts already in home feeds get the id of the post
-- they boost, so the rule that leaves out a boost of a recent entry sees them.
UPDATE `home_feed` SET `reblog_of_id` = (
	SELECT `reblog_of_id` FROM `statuses` WHERE `statuses`.`id` = `home_feed`.`status_id`
) WHERE `status_id` IN (SELECT `id` FROM `statuses` WHERE `reblog_of_id` IS NOT NULL);
