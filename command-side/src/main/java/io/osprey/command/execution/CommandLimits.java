package io.osprey.command.execution;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Size limits on what one command may carry ({@code osprey.command.limits.*}).
 *
 * @param maxLabels        labels per execution
 * @param maxValuesBytes   serialized size of one inputs / outputs / variables map, as the event carries it
 *                         (values stored as blobs count as their URI)
 * @param inlineValueBytes an input, output or variable whose JSON is larger than this is stored as a blob, and
 *                         the event carries its {@code osprey:///} URI instead
 * @param maxBodyBytes     a command's JSON body, read whole before the command sees it (files go as multipart,
 *                         within {@code osprey.files.*}; log batches within {@code osprey.logs.ingest.max-bytes})
 */
@ConfigurationProperties("osprey.command.limits")
public record CommandLimits(Integer maxLabels, Integer maxValuesBytes, Integer inlineValueBytes, Integer maxBodyBytes) {

    public CommandLimits {
        maxLabels = maxLabels == null ? 100 : maxLabels;
        maxValuesBytes = maxValuesBytes == null ? 256 * 1024 : maxValuesBytes;
        inlineValueBytes = inlineValueBytes == null ? 1024 : inlineValueBytes;
        maxBodyBytes = maxBodyBytes == null ? 10 * 1024 * 1024 : maxBodyBytes;
    }
}
