-- Nexus endpoints (OperatorService), kept as records: the registry the SDKs' test setups create
-- and delete; Hourglass does not route Nexus calls yet. endpoint is a serialized
-- temporal.api.nexus.v1.Endpoint.
CREATE TABLE nexus_endpoints (
  id       TEXT COLLATE "C" PRIMARY KEY,
  name     TEXT COLLATE "C" NOT NULL UNIQUE,
  version  BIGINT NOT NULL,
  endpoint BYTEA   NOT NULL
);
