-- Nexus endpoints (OperatorService), kept as records: the registry the SDKs' test setups create
-- and delete; Hourglass does not route Nexus calls yet. endpoint is a serialized
-- temporal.api.nexus.v1.Endpoint.
CREATE TABLE nexus_endpoints (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  version  BIGINT NOT NULL,
  endpoint BLOB   NOT NULL
);
