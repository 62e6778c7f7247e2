-- What only PostgreSQL 18 has: NOT NULL constraints with names, comments, NO INHERIT and
-- NOT VALID, and virtual generated columns. A no-op on older servers.
DO $fixture$
BEGIN
  IF current_setting('server_version_num')::int < 180000 THEN RETURN; END IF;
  EXECUTE 'CREATE SCHEMA nn18';
  EXECUTE 'CREATE TABLE nn18.parent (a int CONSTRAINT parent_a_nn NOT NULL, b int NOT NULL, c int, d int NOT NULL NO INHERIT)';
  EXECUTE 'COMMENT ON CONSTRAINT parent_b_not_null ON nn18.parent IS ''b must be set''';
  EXECUTE 'CREATE TABLE nn18.child (e int CONSTRAINT "child e ""nn""" NOT NULL) INHERITS (nn18.parent)';
  EXECUTE 'ALTER TABLE nn18.child ALTER COLUMN c SET NOT NULL';
  EXECUTE 'CREATE TABLE nn18.loose (x int, y text)';
  EXECUTE 'INSERT INTO nn18.loose VALUES (NULL, ''a''), (1, ''b'')';
  EXECUTE 'ALTER TABLE nn18.loose ADD CONSTRAINT loose_x_nn NOT NULL x NOT VALID';
  EXECUTE 'COMMENT ON CONSTRAINT loose_x_nn ON nn18.loose IS ''not yet valid''';
  EXECUTE 'CREATE TABLE nn18.loose_child (z int) INHERITS (nn18.loose)';
  EXECUTE 'CREATE TABLE nn18."Odd" ("Col A" int CONSTRAINT "NN ""odd""" NOT NULL, other int)';
  EXECUTE 'COMMENT ON CONSTRAINT "NN ""odd""" ON nn18."Odd" IS ''odd one''';
  EXECUTE 'CREATE TABLE nn18.gen (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL)';
  EXECUTE 'INSERT INTO nn18.gen (a) VALUES (1), (2)';
  EXECUTE 'CREATE TABLE nn18.parted (id int CONSTRAINT parted_id_named NOT NULL, v text) PARTITION BY RANGE (id)';
  EXECUTE 'CREATE TABLE nn18.parted_1 PARTITION OF nn18.parted FOR VALUES FROM (0) TO (100)';
END
$fixture$;
