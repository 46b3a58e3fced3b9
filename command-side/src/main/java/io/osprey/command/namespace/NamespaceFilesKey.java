package io.osprey.command.namespace;

/** Where a namespace's file tree lives: the aggregate id {@code {tenant}/namespaces/{namespace}/files}. */
public record NamespaceFilesKey(String tenant, String namespace) {

    public String aggregateId() {
        return tenant + "/namespaces/" + namespace + "/files";
    }
}
