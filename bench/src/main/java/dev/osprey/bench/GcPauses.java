package dev.osprey.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The garbage collections of this JVM from construction to {@link #close}, from the collectors' notifications:
 * how many, their summed and longest duration. For stop-the-world collectors (G1, Parallel, Serial) the duration is
 * the pause; for concurrent ones (ZGC, Shenandoah cycles) it is the cycle, most of it concurrent with the
 * application.
 */
public final class GcPauses implements AutoCloseable {

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private long count;
    private long totalMs;
    private long maxMs;

    public GcPauses() {
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    private synchronized void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long duration = info.getGcInfo().getDuration();
        count++;
        totalMs += duration;
        maxMs = Math.max(maxMs, duration);
    }

    /** "N collections, X ms in all, longest Y ms (collector names)". */
    public synchronized String report() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        return String.format(Locale.ROOT, "%,d collections, %,d ms in all, longest %d ms (%s)", count, totalMs, maxMs,
                String.join(", ", names));
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
