-- 12_subscription.sql: one subscription, created with connect = false: no
-- publisher is needed, it is disabled and has no replication slot
-- (slot_name = NONE), so it never connects. pg_dump dumps subscriptions only
-- when run by a superuser.
--
-- CAUTION: DROP DATABASE refuses a database that holds a subscription. Drop
-- it first with "DROP SUBSCRIPTION cbd_sub_offline;" (works offline since it
-- has no slot), or leave this file out when that matters.

SET client_min_messages = error;

CREATE SUBSCRIPTION cbd_sub_offline
    CONNECTION 'host=publisher.invalid port=5432 dbname=''pub db'' application_name=cbd'
    PUBLICATION cbd_pub_tables, "cbd pub ""mixed"""
    WITH (connect = false, enabled = false, create_slot = false, slot_name = NONE,
          binary = true, streaming = on, synchronous_commit = 'remote_apply');
COMMENT ON SUBSCRIPTION cbd_sub_offline IS 'never connects';
