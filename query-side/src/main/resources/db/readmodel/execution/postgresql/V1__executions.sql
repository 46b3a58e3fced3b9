-- The executions read model: one row per execution, one per task run, and the labels as rows for filters.
-- Ids, tenants and namespaces use the "C" collation: byte order makes LIKE 'prefix%' an index range scan.
-- JSON documents (histories, attempts, labels, inputs, outputs, variables) are stored as text.
CREATE TABLE executions (
    tenant          VARCHAR(255) COLLATE "C" NOT NULL,
    id              VARCHAR(255) COLLATE "C" NOT NULL,
    namespace       VARCHAR(255) COLLATE "C" NOT NULL,
    flow_id         VARCHAR(255) COLLATE "C" NOT NULL,
    flow_revision   INTEGER                  NOT NULL,
    state_current   VARCHAR(32)              NOT NULL,
    state_histories TEXT                     NOT NULL,
    start_date      TIMESTAMP WITH TIME ZONE NOT NULL,
    end_date        TIMESTAMP WITH TIME ZONE,
    labels          TEXT                     NOT NULL,
    inputs          TEXT                     NOT NULL,
    outputs         TEXT                     NOT NULL,
    variables       TEXT                     NOT NULL,
    parent_id       VARCHAR(255),
    trigger_ref     TEXT,
    version         BIGINT                   NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT executions_pk PRIMARY KEY (tenant, id)
);

CREATE INDEX executions_flow_idx ON executions (tenant, namespace, flow_id, start_date);
CREATE INDEX executions_state_idx ON executions (tenant, state_current, start_date);
CREATE INDEX executions_start_idx ON executions (tenant, start_date);

CREATE TABLE task_runs (
    tenant             VARCHAR(255) COLLATE "C" NOT NULL,
    execution_id       VARCHAR(255) COLLATE "C" NOT NULL,
    id                 VARCHAR(255) COLLATE "C" NOT NULL,
    task_id            VARCHAR(255)             NOT NULL,
    parent_task_run_id VARCHAR(255),
    run_value          TEXT,
    iteration          INTEGER,
    created_seq        BIGINT                   NOT NULL,
    state_current      VARCHAR(32)              NOT NULL,
    state_histories    TEXT                     NOT NULL,
    attempt            INTEGER                  NOT NULL,
    attempts           TEXT                     NOT NULL,
    outputs            TEXT                     NOT NULL,
    CONSTRAINT task_runs_pk PRIMARY KEY (tenant, execution_id, id)
);

CREATE TABLE execution_labels (
    tenant       VARCHAR(255) COLLATE "C" NOT NULL,
    execution_id VARCHAR(255) COLLATE "C" NOT NULL,
    label_key    VARCHAR(255)             NOT NULL,
    label_value  VARCHAR(1000)            NOT NULL,
    CONSTRAINT execution_labels_pk PRIMARY KEY (tenant, execution_id, label_key)
);

CREATE INDEX execution_labels_filter_idx ON execution_labels (tenant, label_key, label_value);
