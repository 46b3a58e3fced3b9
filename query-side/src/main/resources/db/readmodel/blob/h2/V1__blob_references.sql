-- The blob references read model (H2, the embedded default): see the PostgreSQL script for the shape.
CREATE TABLE blob_references (
    uri        VARCHAR(1100)            NOT NULL,
    tenant     VARCHAR(64)              NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT blob_references_pk PRIMARY KEY (uri)
);

CREATE INDEX blob_references_tenant_idx ON blob_references (tenant);
