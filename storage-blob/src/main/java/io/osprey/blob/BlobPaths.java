package io.osprey.blob;

/**
 * Where each kind of file lives, following Kestra's internal-storage layout:
 * <pre>
 * {tenant}/{namespace}/{flowId}/executions/{executionId}/inputs/{input}/{file}
 * {tenant}/{namespace}/{flowId}/executions/{executionId}/tasks/{taskId}/{taskRunId}/{file}
 * {tenant}/{namespace}/{flowId}/executions/{executionId}/outputs/{file}
 * {tenant}/{namespace}/{flowId}/executions/{executionId}/variables/{file}
 * {tenant}/{namespace}/_files/{path}
 * </pre>
 * Ids must start with a letter or digit, so a flow can never be called {@code _files}; file names and
 * namespace-file paths may hold any text and are percent-encoded segment by segment.
 */
public final class BlobPaths {

    private static final String EXECUTIONS = "executions";
    private static final String INPUTS = "inputs";
    private static final String TASKS = "tasks";
    private static final String OUTPUTS = "outputs";
    private static final String VARIABLES = "variables";
    private static final String NAMESPACE_FILES = "_files";

    private BlobPaths() {
    }

    public static BlobUri executionInput(String tenant, String namespace, String flowId, String executionId,
                                         String input, String fileName) {
        return inExecution(tenant, namespace, flowId, executionId, INPUTS, BlobKeys.id("input", input),
                BlobKeys.segment(fileName));
    }

    public static BlobUri taskOutput(String tenant, String namespace, String flowId, String executionId,
                                     String taskId, String taskRunId, String fileName) {
        return inExecution(tenant, namespace, flowId, executionId, TASKS, BlobKeys.id("taskId", taskId),
                BlobKeys.id("taskRunId", taskRunId), BlobKeys.segment(fileName));
    }

    /** A file of the execution's own (flow) outputs. */
    public static BlobUri executionOutput(String tenant, String namespace, String flowId, String executionId,
                                          String fileName) {
        return inExecution(tenant, namespace, flowId, executionId, OUTPUTS, BlobKeys.segment(fileName));
    }

    /** A file of the execution's variables. */
    public static BlobUri executionVariable(String tenant, String namespace, String flowId, String executionId,
                                            String fileName) {
        return inExecution(tenant, namespace, flowId, executionId, VARIABLES, BlobKeys.segment(fileName));
    }

    /** {@code segments} are already checked and encoded. */
    private static BlobUri inExecution(String tenant, String namespace, String flowId, String executionId,
                                       String... segments) {
        return new BlobUri(tenant, namespace, BlobKeys.id("flowId", flowId) + "/" + EXECUTIONS + "/"
                + BlobKeys.id("executionId", executionId) + "/" + String.join("/", segments));
    }

    /** {@code path} is relative, '/'-separated, e.g. {@code scripts/etl/run.py}. */
    public static BlobUri namespaceFile(String tenant, String namespace, String path) {
        return new BlobUri(tenant, namespace, NAMESPACE_FILES + "/" + BlobKeys.path(path));
    }

    /** Every file of one execution (inputs, task outputs, outputs and variables), e.g. to purge it. */
    public static BlobPrefix execution(String tenant, String namespace, String flowId, String executionId) {
        return BlobPrefix.of(tenant, namespace, BlobKeys.id("flowId", flowId), EXECUTIONS,
                BlobKeys.id("executionId", executionId));
    }

    /** The namespace files under {@code folder} ('/'-separated; empty for all of them). */
    public static BlobPrefix namespaceFiles(String tenant, String namespace, String folder) {
        String path = folder == null || folder.isEmpty() ? "" : BlobKeys.path(folder) + "/";
        return new BlobPrefix(BlobPrefix.of(tenant, namespace, NAMESPACE_FILES).value() + path);
    }
}
