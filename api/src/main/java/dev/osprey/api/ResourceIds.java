package dev.osprey.api;

/** The identifier formats of DESIGN.md section 3. */
public final class ResourceIds {

    private ResourceIds() {
    }

    /** {@code cluster/namespace/name}. */
    public static String poolId(String cluster, String namespace, String name) {
        return cluster + "/" + namespace + "/" + name;
    }

    /** {@code cluster/namespace/pod:port}. */
    public static String endpointId(String cluster, String namespace, String pod, int port) {
        return cluster + "/" + namespace + "/" + pod + ":" + port;
    }

    /** {@code ip:port}; an IPv6 address goes in brackets. */
    public static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address) + ":" + port;
    }
}
