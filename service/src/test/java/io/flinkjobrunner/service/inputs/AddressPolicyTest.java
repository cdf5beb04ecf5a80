package io.flinkjobrunner.service.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "127.0.0.1        | loopback (127.0.0.0/8)",
        "127.255.0.9      | loopback (127.0.0.0/8)",
        "::1              | loopback (::1)",
        "0.0.0.0          | 'this network' (0.0.0.0/8), which reaches the local host",
        "::               | unspecified (::)",
        "10.1.2.3         | private (10.0.0.0/8)",
        "172.16.0.1       | private (172.16.0.0/12)",
        "172.31.255.255   | private (172.16.0.0/12)",
        "192.168.1.1      | private (192.168.0.0/16)",
        "169.254.169.254  | link-local (169.254.0.0/16, includes cloud metadata endpoints)",
        "100.64.0.1       | carrier-grade NAT (100.64.0.0/10)",
        "100.127.255.254  | carrier-grade NAT (100.64.0.0/10)",
        "224.0.0.251      | multicast (224.0.0.0/4)",
        "255.255.255.255  | reserved (240.0.0.0/4, includes broadcast)",
        "198.18.0.1       | benchmarking (198.18.0.0/15)",
        "192.0.2.10       | documentation (192.0.2.0/24)",
        "fe80::1          | link-local (fe80::/10)",
        "fd12:3456::1     | unique-local (fc00::/7)",
        "fec0::1          | site-local (fec0::/10)",
        "ff02::1          | multicast (ff02::/8)",
        "2001:db8::1      | documentation (2001:db8::/32)",
        "2001:0:4136::1   | Teredo tunnel (2001::/32), whose IPv4 endpoint cannot be checked",
        "::ffff:169.254.169.254 | link-local (169.254.0.0/16, includes cloud metadata endpoints)",
        "64:ff9b::a00:1   | private (10.0.0.0/8), embedded in 64:ff9b:0:0:0:0:a00:1",
        "2002:7f00:1::1   | loopback (127.0.0.0/8), embedded in 2002:7f00:1:0:0:0:0:1",
        "::127.0.0.1      | loopback (127.0.0.0/8), embedded in 0:0:0:0:0:0:7f00:1"})
    void refusesNonPublicAddresses(String literal, String reason) throws UnknownHostException {
        String expected = reason.replace("ff02::/8", "ff00::/8");
        assertEquals(Optional.of(expected), AddressPolicy.refusal(address(literal)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "100.128.0.1", "172.32.0.1", "2001:4860:4860::8888",
        "2a00:1450:4001:81c::200e", "::ffff:8.8.8.8"})
    void allowsPublicUnicastAddresses(String literal) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(address(literal)));
    }

    @org.junit.jupiter.api.Test
    void judgesAnIpv4MappedAddressThatStaysIpv6ByItsEmbeddedAddress() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 127;
        mapped[15] = 1;
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(address instanceof Inet6Address);
        assertTrue(AddressPolicy.refusal(address).orElseThrow().startsWith("loopback (127.0.0.0/8)"));
    }
}
