package io.flinkjobrunner.service.inputs;

import java.net.IDN;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Exceptions to the SSRF guard ({@code runner.download.allow-hosts}, env {@code RUNNER_DOWNLOAD_ALLOW_HOSTS}): host
 * names whose addresses are trusted whatever they resolve to, and CIDR ranges whose addresses may be used. In-cluster
 * object stores and local testing need them.
 *
 * <p>Entries are comma-separated (or given as a list): {@code minio.storage.svc.cluster.local} (exact host, case
 * insensitive), {@code *.svc.cluster.local} (any subdomain, not the domain itself), {@code 10.42.0.0/16} or
 * {@code fd00::/8} (a range), {@code 127.0.0.1} (one address). Nothing else is accepted: a typo fails at startup
 * instead of silently allowing nothing or everything.
 */
public record HostAllowList(List<String> hosts, List<String> domainSuffixes, List<Cidr> ranges) {

    /** Allows nothing beyond public addresses. */
    public static final HostAllowList NONE = new HostAllowList(List.of(), List.of(), List.of());

    private static final Pattern HOST_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public HostAllowList {
        hosts = List.copyOf(hosts);
        domainSuffixes = List.copyOf(domainSuffixes);
        ranges = List.copyOf(ranges);
    }

    /** Parses a comma-separated list; blank entries are ignored. */
    public static HostAllowList parse(String commaSeparated) {
        return commaSeparated == null ? NONE : parse(List.of(commaSeparated.split(",")));
    }

    /**
     * Parses entries (each may itself be comma-separated, as SmallRye passes list values).
     *
     * @throws IllegalArgumentException naming the first entry that is neither a host name, a {@code *.} domain, an
     *                                  IP address nor a CIDR range
     */
    public static HostAllowList parse(List<String> entries) {
        List<String> hosts = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String item : entries) {
            for (String raw : item.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.contains("/") || Cidr.literal(stripBrackets(entry)) != null) {
                    ranges.add(Cidr.parse(entry));
                } else if (entry.startsWith("*.") && isHostName(normalise(entry.substring(2)))) {
                    suffixes.add("." + normalise(entry.substring(2)));
                } else if (isHostName(normalise(entry))) {
                    hosts.add(normalise(entry));
                } else {
                    throw new IllegalArgumentException("runner.download.allow-hosts: '" + entry + "' is not a host"
                            + " name, *.domain, IP address or CIDR range");
                }
            }
        }
        return new HostAllowList(hosts, suffixes, ranges);
    }

    private static String stripBrackets(String text) {
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    }

    /** A DNS name; the last label may not be numeric (RFC 3696 2), so {@code 999.1.1.1} is no host name. */
    private static boolean isHostName(String host) {
        return host.length() <= 253 && HOST_NAME.matcher(host).matches()
                && !host.substring(host.lastIndexOf('.') + 1).chars().allMatch(Character::isDigit);
    }

    /** Lower case, no trailing dot, internationalised names in their ASCII (punycode) form. */
    static String normalise(String host) {
        String lower = host.trim().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }

    /** True if {@code host} is listed by name or matches a {@code *.} domain. */
    public boolean allowsHost(String host) {
        String name = normalise(host);
        return hosts.contains(name) || domainSuffixes.stream().anyMatch(name::endsWith);
    }

    /** True if {@code address} lies in a listed range. */
    public boolean allowsAddress(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && domainSuffixes.isEmpty() && ranges.isEmpty();
    }
}
