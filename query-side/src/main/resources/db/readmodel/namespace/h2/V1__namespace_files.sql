-- The namespace files read model (H2, the embedded default): see the PostgreSQL script for the shape.
-- H2 compares strings in Java's order, where a directory's subtree is one range too.
CREATE TABLE namespace_files (
    tenant    VARCHAR(255)             NOT NULL,
    namespace VARCHAR(255)             NOT NULL,
    path      VARCHAR(1024)            NOT NULL,
    parent    VARCHAR(1024)            NOT NULL,
    name      VARCHAR(255)             NOT NULL,
    type      VARCHAR(16)              NOT NULL,
    revision  INTEGER,
    size      BIGINT,
    sha256    VARCHAR(64),
    uri       VARCHAR(1024),
    created   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT namespace_files_pk PRIMARY KEY (tenant, namespace, path)
);

CREATE INDEX namespace_files_parent_idx ON namespace_files (tenant, namespace, parent);

CREATE TABLE namespace_file_revisions (
    tenant    VARCHAR(255)             NOT NULL,
    namespace VARCHAR(255)             NOT NULL,
    path      VARCHAR(1024)            NOT NULL,
    revision  INTEGER                  NOT NULL,
    size      BIGINT                   NOT NULL,
    sha256    VARCHAR(64)              NOT NULL,
    uri       VARCHAR(1024)            NOT NULL,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT namespace_file_revisions_pk PRIMARY KEY (tenant, namespace, path, revision)
);

CREATE TABLE namespace_file_streams (
    tenant    VARCHAR(255)             NOT NULL,
    namespace VARCHAR(255)             NOT NULL,
    sequence  BIGINT                   NOT NULL,
    created   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT namespace_file_streams_pk PRIMARY KEY (tenant, namespace)
);
