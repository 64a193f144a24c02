-- Visibility: one row per workflow run with the attributes list filters use, written in the same
-- transaction as the execution change that alters them (start, search attribute / memo upsert,
-- close). Times are epoch milliseconds. The PostgreSQL twin differs only in BYTEA for BLOB, the
-- "C" collation of text columns, no WITHOUT ROWID and no planner statistics.

CREATE TABLE visibility (
  namespace_id        TEXT    NOT NULL,
  run_id              TEXT    NOT NULL,
  workflow_id         TEXT    NOT NULL,
  workflow_type       TEXT    NOT NULL,
  status              INTEGER NOT NULL,
  start_time          BIGINT  NOT NULL,
  execution_time      BIGINT  NOT NULL,
  close_time          BIGINT,
  -- close_time, or the largest BIGINT while open: the default order (open runs first, then the
  -- most recently closed) as one indexable column, so keyset paging needs no COALESCE.
  close_order         BIGINT  NOT NULL,
  execution_duration  BIGINT,
  task_queue          TEXT    NOT NULL,
  history_length      BIGINT  NOT NULL,
  history_size_bytes  BIGINT  NOT NULL,
  parent_namespace_id TEXT,
  parent_workflow_id  TEXT,
  parent_run_id       TEXT,
  root_workflow_id    TEXT,
  root_run_id         TEXT,
  first_run_id        TEXT    NOT NULL,
  memo                BLOB,
  search_attributes   BLOB,
  PRIMARY KEY (namespace_id, run_id)
) WITHOUT ROWID;

-- Default order and keyset paging: (close_order, start_time, run_id) descending.
CREATE INDEX visibility_by_order ON visibility (namespace_id, close_order, start_time, run_id);
CREATE INDEX visibility_by_status ON visibility (namespace_id, status, close_order, start_time, run_id);
CREATE INDEX visibility_by_type ON visibility (namespace_id, workflow_type, close_order, start_time, run_id);
CREATE INDEX visibility_by_workflow_id ON visibility (namespace_id, workflow_id, close_order, start_time, run_id);
CREATE INDEX visibility_by_start_time ON visibility (namespace_id, start_time);
CREATE INDEX visibility_by_close_time ON visibility (namespace_id, close_time);
CREATE INDEX visibility_by_execution_time ON visibility (namespace_id, execution_time);
CREATE INDEX visibility_by_task_queue ON visibility (namespace_id, task_queue);
CREATE INDEX visibility_by_parent ON visibility (namespace_id, parent_workflow_id);
CREATE INDEX visibility_by_root ON visibility (namespace_id, root_workflow_id);

-- Custom search attribute values, one row per value (a KeywordList has one row per element, a
-- Text one row per lower-cased word). Typed columns: int_value holds Int, Bool (0/1) and
-- Datetime (epoch millis); double_value Double; text_value Keyword, KeywordList and Text words.
-- Filters select run ids through the (namespace, name, value) indexes.
CREATE TABLE visibility_search_attributes (
  namespace_id TEXT    NOT NULL,
  run_id       TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  int_value    BIGINT,
  double_value DOUBLE PRECISION,
  text_value   TEXT,
  PRIMARY KEY (namespace_id, run_id, name, seq)
) WITHOUT ROWID;

CREATE INDEX visibility_search_attributes_by_int ON visibility_search_attributes (namespace_id, name, int_value);
CREATE INDEX visibility_search_attributes_by_double ON visibility_search_attributes (namespace_id, name, double_value);
CREATE INDEX visibility_search_attributes_by_text ON visibility_search_attributes (namespace_id, name, text_value);

-- Custom search attributes registered per namespace (OperatorService.AddSearchAttributes).
-- type is Temporal's IndexedValueType number.
CREATE TABLE search_attributes (
  namespace_id TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  type         INTEGER NOT NULL,
  PRIMARY KEY (namespace_id, name)
);

-- Planner statistics for the visibility tables, as a namespace with a million runs has them.
-- Without statistics SQLite assumes an equality on namespace_id selects a handful of rows, and
-- would answer "WorkflowId = 'x'" or a custom-attribute filter by walking the whole namespace in
-- list order. Fixed statistics are SQLite's documented way to pin plans; a later ANALYZE (or
-- PRAGMA optimize) replaces them with measured ones. ANALYZE of the empty table creates
-- sqlite_stat1 without touching the statistics of other tables.
ANALYZE visibility;
DELETE FROM sqlite_stat1 WHERE tbl IN ('visibility', 'visibility_search_attributes');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('visibility', 'visibility', '1000000 1000000 1'),
  ('visibility', 'visibility_by_order', '1000000 1000000 1 1 1'),
  ('visibility', 'visibility_by_status', '1000000 1000000 200000 1 1 1'),
  ('visibility', 'visibility_by_type', '1000000 1000000 10000 1 1 1'),
  ('visibility', 'visibility_by_workflow_id', '1000000 1000000 2 1 1 1'),
  ('visibility', 'visibility_by_start_time', '1000000 1000000 1'),
  ('visibility', 'visibility_by_close_time', '1000000 1000000 1'),
  ('visibility', 'visibility_by_execution_time', '1000000 1000000 1'),
  ('visibility', 'visibility_by_task_queue', '1000000 1000000 100000'),
  ('visibility', 'visibility_by_parent', '1000000 1000000 10'),
  ('visibility', 'visibility_by_root', '1000000 1000000 10'),
  ('visibility_search_attributes', 'visibility_search_attributes', '1000000 1000000 1 1 1'),
  ('visibility_search_attributes', 'visibility_search_attributes_by_text', '1000000 1000000 100000 100'),
  ('visibility_search_attributes', 'visibility_search_attributes_by_int', '1000000 1000000 100000 100'),
  ('visibility_search_attributes', 'visibility_search_attributes_by_double', '1000000 1000000 100000 100');
