package io.flinkjobrunner.service.inputs;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name (or IP literal) to addresses. The system resolver in production; a fake in tests. */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver ({@link InetAddress#getAllByName}). */
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
