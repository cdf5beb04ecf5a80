package io.flinkjobrunner.service.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostAllowListTest {

    @Test
    void parsesHostsDomainsRangesAndSingleAddresses() throws UnknownHostException {
        HostAllowList list = HostAllowList.parse(
                " MinIO.storage.svc.cluster.local., *.objects.internal ,10.42.0.0/16, 127.0.0.1, [::1], fd00::/8,,");
        assertEquals(List.of("minio.storage.svc.cluster.local"), list.hosts());
        assertEquals(List.of(".objects.internal"), list.domainSuffixes());
        assertEquals(4, list.ranges().size());

        assertTrue(list.allowsHost("minio.storage.svc.cluster.local"));
        assertTrue(list.allowsHost("MINIO.storage.svc.cluster.local."));
        assertTrue(list.allowsHost("a.objects.internal"));
        assertTrue(list.allowsHost("b.a.objects.internal"));
        assertFalse(list.allowsHost("objects.internal"));
        assertFalse(list.allowsHost("evilobjects.internal"));
        assertFalse(list.allowsHost("minio.storage.svc.cluster.local.evil.com"));

        assertTrue(list.allowsAddress(InetAddress.getByName("10.42.7.1")));
        assertFalse(list.allowsAddress(InetAddress.getByName("10.43.0.1")));
        assertTrue(list.allowsAddress(InetAddress.getByName("127.0.0.1")));
        assertFalse(list.allowsAddress(InetAddress.getByName("127.0.0.2")));
        assertTrue(list.allowsAddress(InetAddress.getByName("::1")));
        assertTrue(list.allowsAddress(InetAddress.getByName("fd00:1::5")));
    }

    @Test
    void acceptsListValuesAsSmallRyePassesThem() {
        HostAllowList list = HostAllowList.parse(List.of("a.example", "10.0.0.0/8,b.example"));
        assertEquals(List.of("a.example", "b.example"), list.hosts());
        assertEquals(1, list.ranges().size());
    }

    @Test
    void emptyConfigurationAllowsNothing() {
        assertTrue(HostAllowList.parse("").isEmpty());
        assertTrue(HostAllowList.parse((String) null).isEmpty());
        assertTrue(HostAllowList.parse(" , ").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "::/129", "999.1.1.1", "*.", "*", "http://host",
        "host name", "fe80::1%eth0", "a..b", "-bad.example"})
    void rejectsEntriesThatAreNeitherHostNorRange(String entry) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse(entry));
        assertTrue(error.getMessage().contains(entry), error.getMessage());
    }

    @Test
    void cidrParsingNeverLooksUpHostNames() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost/8"));
        assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.255.0.1/8"));
    }
}
