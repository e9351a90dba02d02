package dev.pulse.event;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registered {@link Upcaster}s, and the chain that reads any supported version as version 1. */
final class Upcasters {

    /** Every upcaster; one line each. */
    static final List<Upcaster> ALL = List.of(
            new PaymentReceivedV2(),
            new EngagementScoreUpdatedV2());

    private final Map<EventType, TreeMap<Integer, Upcaster>> byType = new EnumMap<>(EventType.class);

    Upcasters(List<Upcaster> upcasters) {
        for (Upcaster u : upcasters) {
            if (u.version() < 2) {
                throw new IllegalArgumentException(u.getClass().getSimpleName() + " reads version " + u.version()
                        + "; version 1 is the internal form and needs none");
            }
            Upcaster previous = byType.computeIfAbsent(u.type(), t -> new TreeMap<>()).put(u.version(), u);
            if (previous != null) {
                throw new IllegalArgumentException("two upcasters for " + u.type().wireName() + " version " + u.version());
            }
        }
        byType.forEach((type, chain) -> {
            // Every version from 2 up must be readable, or a version in the middle would be accepted and misread.
            if (chain.lastKey() != chain.size() + 1) {
                throw new IllegalArgumentException("upcasters of " + type.wireName() + " must cover versions 2.." + chain.lastKey()
                        + " without gaps, have " + chain.keySet());
            }
        });
    }

    /** The highest version of {@code type} that can be read: 1 without upcasters. */
    int maxVersion(EventType type) {
        TreeMap<Integer, Upcaster> chain = byType.get(type);
        return chain == null ? 1 : chain.lastKey();
    }

    /** {@code data} of {@code version} (supported, checked by the caller) in the version-1 form. */
    Map<String, Object> toVersionOne(EventType type, int version, Map<String, Object> data) {
        Map<String, Object> current = data;
        for (int v = version; v >= 2; v--) {
            current = byType.get(type).get(v).toPrevious(current);
        }
        return current;
    }
}
