-- Idempotency-Keys of log batches (command side, H2): the SHA-256 of the body each key was first used with and the
-- reply it got. Written in the batch's transaction; rows older than osprey.logs.ingest.idempotency-window are
-- purged. The same script runs on PostgreSQL (see ../postgresql).
CREATE TABLE log_idempotency_keys (
    tenant          VARCHAR(64)              NOT NULL,
    idempotency_key VARCHAR(200)             NOT NULL,
    request_sha256  VARCHAR(64)              NOT NULL,
    batch_id        VARCHAR(36)              NOT NULL,
    line_count      INTEGER                  NOT NULL,
    event_count     INTEGER                  NOT NULL,
    event_position  BIGINT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT log_idempotency_keys_pk PRIMARY KEY (tenant, idempotency_key)
);

CREATE INDEX log_idempotency_keys_created_idx ON log_idempotency_keys (created_at);
