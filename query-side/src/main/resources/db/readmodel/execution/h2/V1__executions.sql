-- The executions read model (H2, the embedded default): see the PostgreSQL script for the shape.
CREATE TABLE executions (
    tenant          VARCHAR(255)             NOT NULL,
    id              VARCHAR(255)             NOT NULL,
    namespace       VARCHAR(255)             NOT NULL,
    flow_id         VARCHAR(255)             NOT NULL,
    flow_revision   INTEGER                  NOT NULL,
    state_current   VARCHAR(32)              NOT NULL,
    state_histories CHARACTER LARGE OBJECT   NOT NULL,
    start_date      TIMESTAMP WITH TIME ZONE NOT NULL,
    end_date        TIMESTAMP WITH TIME ZONE,
    labels          CHARACTER LARGE OBJECT   NOT NULL,
    inputs          CHARACTER LARGE OBJECT   NOT NULL,
    outputs         CHARACTER LARGE OBJECT   NOT NULL,
    variables       CHARACTER LARGE OBJECT   NOT NULL,
    parent_id       VARCHAR(255),
    trigger_ref     CHARACTER LARGE OBJECT,
    version         BIGINT                   NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT executions_pk PRIMARY KEY (tenant, id)
);

CREATE INDEX executions_flow_idx ON executions (tenant, namespace, flow_id, start_date);
CREATE INDEX executions_state_idx ON executions (tenant, state_current, start_date);
CREATE INDEX executions_start_idx ON executions (tenant, start_date);

CREATE TABLE task_runs (
    tenant             VARCHAR(255)           NOT NULL,
    execution_id       VARCHAR(255)           NOT NULL,
    id                 VARCHAR(255)           NOT NULL,
    task_id            VARCHAR(255)           NOT NULL,
    parent_task_run_id VARCHAR(255),
    run_value          CHARACTER LARGE OBJECT,
    iteration          INTEGER,
    created_seq        BIGINT                 NOT NULL,
    state_current      VARCHAR(32)            NOT NULL,
    state_histories    CHARACTER LARGE OBJECT NOT NULL,
    attempt            INTEGER                NOT NULL,
    attempts           CHARACTER LARGE OBJECT NOT NULL,
    outputs            CHARACTER LARGE OBJECT NOT NULL,
    CONSTRAINT task_runs_pk PRIMARY KEY (tenant, execution_id, id)
);

CREATE TABLE execution_labels (
    tenant       VARCHAR(255)  NOT NULL,
    execution_id VARCHAR(255)  NOT NULL,
    label_key    VARCHAR(255)  NOT NULL,
    label_value  VARCHAR(1000) NOT NULL,
    CONSTRAINT execution_labels_pk PRIMARY KEY (tenant, execution_id, label_key)
);

CREATE INDEX execution_labels_filter_idx ON execution_labels (tenant, label_key, label_value);
