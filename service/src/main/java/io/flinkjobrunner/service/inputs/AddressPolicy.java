package io.flinkjobrunner.service.inputs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard's address rules: which resolved addresses a download may not connect to, because they reach the
 * service's own host, its cluster network or cloud metadata rather than the public internet.
 *
 * <p>IPv6 forms that embed an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the embedded address, so {@code ::ffff:169.254.169.254}
 * is refused like {@code 169.254.169.254}.
 */
public final class AddressPolicy {

    private record Range(Cidr cidr, String why) {
    }

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "'this network' (0.0.0.0/8), which reaches the local host"),
            range("10.0.0.0/8", "private (10.0.0.0/8)"),
            range("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),
            range("127.0.0.0/8", "loopback (127.0.0.0/8)"),
            range("169.254.0.0/16", "link-local (169.254.0.0/16, includes cloud metadata endpoints)"),
            range("172.16.0.0/12", "private (172.16.0.0/12)"),
            range("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"),
            range("192.0.2.0/24", "documentation (192.0.2.0/24)"),
            range("192.88.99.0/24", "6to4 relay anycast (192.88.99.0/24)"),
            range("192.168.0.0/16", "private (192.168.0.0/16)"),
            range("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),
            range("198.51.100.0/24", "documentation (198.51.100.0/24)"),
            range("203.0.113.0/24", "documentation (203.0.113.0/24)"),
            range("224.0.0.0/4", "multicast (224.0.0.0/4)"),
            range("240.0.0.0/4", "reserved (240.0.0.0/4, includes broadcast)"),
            range("::/128", "unspecified (::)"),
            range("::1/128", "loopback (::1)"),
            range("100::/64", "discard-only (100::/64)"),
            range("2001::/32", "Teredo tunnel (2001::/32), whose IPv4 endpoint cannot be checked"),
            range("2001:db8::/32", "documentation (2001:db8::/32)"),
            range("fc00::/7", "unique-local (fc00::/7)"),
            range("fe80::/10", "link-local (fe80::/10)"),
            range("fec0::/10", "site-local (fec0::/10)"),
            range("ff00::/8", "multicast (ff00::/8)"));

    private AddressPolicy() {
    }

    private static Range range(String cidr, String why) {
        return new Range(Cidr.parse(cidr), why);
    }

    /** Why {@code address} is refused, or empty if it is a public unicast address. */
    public static Optional<String> refusal(InetAddress address) {
        Optional<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return refusal(embedded.get()).map(why -> why + ", embedded in " + address.getHostAddress());
        }
        for (Range range : REFUSED) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.why());
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address carried by an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean zeroPrefix = allZero(b, 0, 10);
        boolean mapped = zeroPrefix && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 16)
                && !(allZero(b, 12, 15) && b[15] == 1);
        boolean nat64 = (b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF
                && (b[3] & 0xFF) == 0x9B && allZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return Optional.of(ipv4(b[12], b[13], b[14], b[15]));
        }
        if ((b[0] & 0xFF) == 0x20 && (b[1] & 0xFF) == 0x02) {
            return Optional.of(ipv4(b[2], b[3], b[4], b[5]));
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return Inet4Address.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
