-- A task may be queued in another namespace than its execution's: a Nexus operation's request
-- waits in the endpoint's namespace while it belongs to the calling workflow. Empty means the
-- execution is in the queue's namespace (every workflow and activity task).
ALTER TABLE tasks ADD COLUMN execution_namespace_id TEXT NOT NULL DEFAULT '';
