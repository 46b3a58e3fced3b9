-- Which value map of its execution a file belongs to: 'inputs', 'outputs' (the execution's own when task_run_id is
-- null, else the task run's) or 'variables'. Replacing the outputs or the variables replaces exactly their files.
ALTER TABLE execution_files ADD COLUMN kind VARCHAR(16);
UPDATE execution_files SET kind = CASE WHEN task_run_id IS NULL THEN 'inputs' ELSE 'outputs' END;
ALTER TABLE execution_files ALTER COLUMN kind SET NOT NULL;
