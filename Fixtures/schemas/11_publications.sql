-- 11_publications.sql: logical replication objects: publications FOR TABLE
-- (with a column list and a row filter), FOR TABLES IN SCHEMA, mixed, FOR ALL
-- TABLES, an empty one, with publish options and publish_via_partition_root,
-- owners and comments. (CREATE PUBLICATION only warns when wal_level is not
-- logical.)

SET client_min_messages = error;

CREATE PUBLICATION cbd_pub_tables
    FOR TABLE data.texts (id, label, t) WHERE (id > 0),
              tbl.items,
              con.orders WHERE (qty > 0 AND customer IS NOT NULL)
    WITH (publish = 'insert, update, delete');
COMMENT ON PUBLICATION cbd_pub_tables IS 'column list and row filters';
ALTER PUBLICATION cbd_pub_tables OWNER TO cbd_owner;

CREATE PUBLICATION cbd_pub_schema
    FOR TABLES IN SCHEMA vw, "Ünïcødé 表"
    WITH (publish = 'insert', publish_via_partition_root = false);

CREATE PUBLICATION "cbd pub ""mixed"""
    FOR TABLES IN SCHEMA sec, TABLE tbl.measurements, data.big WHERE (id < 100)
    WITH (publish_via_partition_root = true, publish = 'insert, truncate');

CREATE PUBLICATION cbd_pub_all FOR ALL TABLES WITH (publish = 'delete');
COMMENT ON PUBLICATION cbd_pub_all IS 'for all tables';

CREATE PUBLICATION cbd_pub_empty;
