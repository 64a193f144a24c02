-- Visibility, PostgreSQL dialect: the twin of db/migration/sqlite/V2 (same tables, keys and
-- indexes). One row per workflow run with the attributes list filters use, written in the same
-- transaction as the execution change that alters them (start, search attribute / memo upsert,
-- close). Times are epoch milliseconds; text columns use the "C" collation as in V1, so ids order
-- and compare byte by byte as in SQLite (keyset pages and STARTS_WITH ranges depend on it).

CREATE TABLE visibility (
  namespace_id        TEXT COLLATE "C"    NOT NULL,
  run_id              TEXT COLLATE "C"    NOT NULL,
  workflow_id         TEXT COLLATE "C"    NOT NULL,
  workflow_type       TEXT COLLATE "C"    NOT NULL,
  status              INTEGER NOT NULL,
  start_time          BIGINT  NOT NULL,
  execution_time      BIGINT  NOT NULL,
  close_time          BIGINT,
  -- close_time, or the largest BIGINT while open: the default order (open runs first, then the
  -- most recently closed) as one indexable column, so keyset paging needs no COALESCE.
  close_order         BIGINT  NOT NULL,
  execution_duration  BIGINT,
  task_queue          TEXT COLLATE "C"    NOT NULL,
  history_length      BIGINT  NOT NULL,
  history_size_bytes  BIGINT  NOT NULL,
  parent_namespace_id TEXT COLLATE "C",
  parent_workflow_id  TEXT COLLATE "C",
  parent_run_id       TEXT COLLATE "C",
  root_workflow_id    TEXT COLLATE "C",
  root_run_id         TEXT COLLATE "C",
  first_run_id        TEXT COLLATE "C"    NOT NULL,
  memo                BYTEA,
  search_attributes   BYTEA,
  PRIMARY KEY (namespace_id, run_id)
);

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
  namespace_id TEXT COLLATE "C"    NOT NULL,
  run_id       TEXT COLLATE "C"    NOT NULL,
  name         TEXT COLLATE "C"    NOT NULL,
  seq          INTEGER NOT NULL,
  int_value    BIGINT,
  double_value DOUBLE PRECISION,
  text_value   TEXT COLLATE "C",
  PRIMARY KEY (namespace_id, run_id, name, seq)
);

CREATE INDEX visibility_search_attributes_by_int ON visibility_search_attributes (namespace_id, name, int_value);
CREATE INDEX visibility_search_attributes_by_double ON visibility_search_attributes (namespace_id, name, double_value);
CREATE INDEX visibility_search_attributes_by_text ON visibility_search_attributes (namespace_id, name, text_value);

-- Custom search attributes registered per namespace (OperatorService.AddSearchAttributes).
-- type is Temporal's IndexedValueType number.
CREATE TABLE search_attributes (
  namespace_id TEXT COLLATE "C"    NOT NULL,
  name         TEXT COLLATE "C"    NOT NULL,
  type         INTEGER NOT NULL,
  PRIMARY KEY (namespace_id, name)
);
