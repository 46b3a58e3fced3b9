-- The files of each execution: input files and task-run output files, and the values too large to stay inline
-- (stored as blobs). task_run_id is null for the execution's inputs. A download is served only for a URI listed
-- here for that tenant and execution.
CREATE TABLE execution_files (
    tenant       VARCHAR(255) COLLATE "C" NOT NULL,
    execution_id VARCHAR(255) COLLATE "C" NOT NULL,
    task_run_id  VARCHAR(255) COLLATE "C",
    name         VARCHAR(255)  NOT NULL,
    uri          VARCHAR(1100) COLLATE "C" NOT NULL,
    size         BIGINT        NOT NULL,
    sha256       VARCHAR(64),
    CONSTRAINT execution_files_pk PRIMARY KEY (tenant, execution_id, uri)
);

CREATE INDEX execution_files_task_run_idx ON execution_files (tenant, execution_id, task_run_id);
