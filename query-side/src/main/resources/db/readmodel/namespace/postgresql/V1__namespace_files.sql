-- The namespace files read model: one row per file or directory of each namespace's tree (the root is implied),
-- every revision of every file, and the last event applied per namespace (a redelivered event is skipped).
-- Paths use the "C" collation: in byte order a directory's subtree is one index range, '/dir/' up to '/dir0'.
CREATE TABLE namespace_files (
    tenant    VARCHAR(255)  COLLATE "C" NOT NULL,
    namespace VARCHAR(255)  COLLATE "C" NOT NULL,
    path      VARCHAR(1024) COLLATE "C" NOT NULL,
    parent    VARCHAR(1024) COLLATE "C" NOT NULL,
    name      VARCHAR(255)  COLLATE "C" NOT NULL,
    type      VARCHAR(16)               NOT NULL,
    revision  INTEGER,
    size      BIGINT,
    sha256    VARCHAR(64),
    uri       VARCHAR(1024),
    created   TIMESTAMP WITH TIME ZONE  NOT NULL,
    updated   TIMESTAMP WITH TIME ZONE  NOT NULL,
    CONSTRAINT namespace_files_pk PRIMARY KEY (tenant, namespace, path)
);

CREATE INDEX namespace_files_parent_idx ON namespace_files (tenant, namespace, parent);

CREATE TABLE namespace_file_revisions (
    tenant    VARCHAR(255)  COLLATE "C" NOT NULL,
    namespace VARCHAR(255)  COLLATE "C" NOT NULL,
    path      VARCHAR(1024) COLLATE "C" NOT NULL,
    revision  INTEGER                   NOT NULL,
    size      BIGINT                    NOT NULL,
    sha256    VARCHAR(64)               NOT NULL,
    uri       VARCHAR(1024)             NOT NULL,
    at        TIMESTAMP WITH TIME ZONE  NOT NULL,
    CONSTRAINT namespace_file_revisions_pk PRIMARY KEY (tenant, namespace, path, revision)
);

CREATE TABLE namespace_file_streams (
    tenant    VARCHAR(255) COLLATE "C" NOT NULL,
    namespace VARCHAR(255) COLLATE "C" NOT NULL,
    sequence  BIGINT                   NOT NULL,
    created   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT namespace_file_streams_pk PRIMARY KEY (tenant, namespace)
);
