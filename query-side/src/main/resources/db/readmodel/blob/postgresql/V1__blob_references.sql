-- Every blob URI that any event has ever pointed at (events implementing ReferencesBlobs). Rows are only
-- added, never removed by a later event (a deleted file's earlier events still point at its blob, for audit
-- and replay); the blob sweeper deletes only blobs with no row here. Rebuilt from the events on a reset.
-- uri is the canonical osprey:/// form; tenant is its first segment, the sweeper's list of tenants to walk.
CREATE TABLE blob_references (
    uri        VARCHAR(1100) COLLATE "C" NOT NULL,
    tenant     VARCHAR(64)   COLLATE "C" NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE  NOT NULL,
    CONSTRAINT blob_references_pk PRIMARY KEY (uri)
);

CREATE INDEX blob_references_tenant_idx ON blob_references (tenant);
