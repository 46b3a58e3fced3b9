package io.osprey.query.blob;

import io.osprey.events.validation.SettingRules;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The sweep of unreferenced blobs ({@code osprey.blob.sweep.*}); defaults here, as for {@code QueryProperties}.
 *
 * @param enabled     run the sweep periodically on this node; default true. {@link BlobSweeper#sweep()} can
 *                    always be called directly
 * @param interval    time between the end of one periodic sweep and the start of the next; default 1 h
 * @param gracePeriod a blob younger than this is never deleted; default 24 h. It must exceed the longest time
 *                    between a blob's write and the commit of the event that points at it (plus clock skew
 *                    between the blob store and this node)
 * @param pageSize    blobs listed (and checked against the references in one query) per page; default 500
 * @param tenants     tenants to walk besides {@code main} and those that some event has pointed a blob at
 * @param catchUpWait how long a sweep waits for the blob references read model to hold every event committed when it
 *                    started, before it is skipped; default 30 s. Under steady writes the read model is always a
 *                    moment behind the head: without a wait most sweeps were skipped
 */
@ConfigurationProperties("osprey.blob.sweep")
public record BlobSweepProperties(Boolean enabled, Duration interval, Duration gracePeriod, Integer pageSize,
                                  List<String> tenants, Duration catchUpWait) {

    public BlobSweepProperties {
        enabled = enabled == null || enabled;
        interval = interval == null ? Duration.ofHours(1) : interval;
        gracePeriod = gracePeriod == null ? Duration.ofHours(24) : gracePeriod;
        pageSize = pageSize == null ? 500 : pageSize;
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        catchUpWait = catchUpWait == null ? Duration.ofSeconds(30) : catchUpWait;
        SettingRules.notNegative("osprey.blob.sweep.catch-up-wait", catchUpWait);
        // scheduled in milliseconds: less than one would be none
        SettingRules.atLeastAMillisecond("osprey.blob.sweep.interval", interval);
        // at 0 a blob whose command has not committed yet could be deleted
        SettingRules.positive("osprey.blob.sweep.grace-period", gracePeriod);
        SettingRules.atLeast("osprey.blob.sweep.page-size", 1, pageSize);
        // a tenant no blob can belong to was only skipped, with a warning, at every sweep
        tenants.forEach(tenant -> SettingRules.tenant("osprey.blob.sweep.tenants", tenant));
    }
}
