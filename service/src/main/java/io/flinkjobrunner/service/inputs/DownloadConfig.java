package io.flinkjobrunner.service.inputs;

import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLContext;

/**
 * Settings of the {@link InputDownloader} (from {@code runner.download.*}).
 *
 * @param maxBytes       largest accepted body
 * @param connectTimeout per connection attempt
 * @param readTimeout    longest wait for the next bytes
 * @param totalTimeout   the whole download including redirects (a server that drips one byte per second keeps the
 *                       read timeout happy but not this one)
 * @param maxRedirects   redirects followed; each hop is checked like the first request
 * @param allowList      hosts and ranges exempt from the address rules
 * @param sslContext     TLS trust (e.g. a cluster CA), or null for the JVM's default trust store
 */
public record DownloadConfig(
        long maxBytes,
        Duration connectTimeout,
        Duration readTimeout,
        Duration totalTimeout,
        int maxRedirects,
        HostAllowList allowList,
        SSLContext sslContext) {

    /** 50 MiB, 10 s connect, 30 s read, 5 min total, 5 redirects, nothing allow-listed. */
    public static final DownloadConfig DEFAULTS = new DownloadConfig(50L * 1024 * 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(5), 5, HostAllowList.NONE, null);

    public DownloadConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(allowList, "allowList");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("runner.download.max-bytes must be positive, got " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("runner.download.max-redirects must not be negative");
        }
        for (Duration timeout : new Duration[] {connectTimeout, readTimeout, totalTimeout}) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("download timeouts must be between 1 ms and 24 days, got " + timeout);
            }
        }
    }

    public DownloadConfig withAllowList(HostAllowList allowList) {
        return new DownloadConfig(maxBytes, connectTimeout, readTimeout, totalTimeout, maxRedirects, allowList,
                sslContext);
    }
}
