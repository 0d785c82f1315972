package dev.osprey.schemas.kafka;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes it does not trust when reading specific records. This adds the
 * generated package {@value #PACKAGE} (and nothing else) to the trusted set, once per JVM, so no
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} flag is needed to run Osprey.
 */
final class TrustedAvroPackage {

    static final String PACKAGE = "dev.osprey.schemas.avro";

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private TrustedAvroPackage() {
    }

    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(type -> PACKAGE.equals(type.getPackageName()) || previous.isTrusted(type));
        }
    }
}
