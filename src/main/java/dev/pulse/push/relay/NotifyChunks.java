package dev.pulse.push.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cuts one message into NOTIFY payloads and puts them back together. PostgreSQL refuses a payload of
 * 8000 bytes or more (in the database encoding, UTF-8 here), and one committed batch of metrics can be
 * megabytes, so a message travels as {@code count} chunks, each {@code <message id>:<index>/<count>:<text>},
 * cut only between UTF-8 code points so that every chunk is valid text on its own.
 */
final class NotifyChunks {

    /** PostgreSQL: "the payload string must be shorter than 8000 bytes". */
    static final int MAX_PAYLOAD_BYTES = 7999;

    private NotifyChunks() {
    }

    /**
     * The payloads of one message, in order; each at most {@code maxBytes} UTF-8 bytes.
     *
     * @param messageId unique among messages that may be in flight at once; no {@code ':'}
     */
    static List<String> split(String messageId, String message, int maxBytes) {
        Objects.requireNonNull(message, "message");
        if (messageId == null || messageId.isEmpty() || messageId.indexOf(':') >= 0 || !isAscii(messageId)) {
            throw new IllegalArgumentException("messageId must be non-empty ASCII without ':', was " + messageId);
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        // The header grows with the count's digits; sized for the largest count this message could need.
        int headerBytes = messageId.length() + 3 + 2 * digits(Math.max(1, bytes.length));
        int room = maxBytes - headerBytes;
        if (room < 4) {  // 4: the longest UTF-8 code point must fit, or no cut could make progress
            throw new IllegalArgumentException("maxBytes must leave room for a chunk after the header, was " + maxBytes);
        }
        List<int[]> cuts = new ArrayList<>();
        int start = 0;
        do {
            int end = Math.min(bytes.length, start + room);
            while (end < bytes.length && isContinuation(bytes[end])) {
                end--;  // never split a code point: step back to its first byte
            }
            cuts.add(new int[] {start, end});
            start = end;
        } while (start < bytes.length);
        List<String> payloads = new ArrayList<>(cuts.size());
        for (int i = 0; i < cuts.size(); i++) {
            int[] cut = cuts.get(i);
            payloads.add(messageId + ":" + i + "/" + cuts.size() + ":"
                    + new String(bytes, cut[0], cut[1] - cut[0], StandardCharsets.UTF_8));
        }
        return List.copyOf(payloads);
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    /**
     * Puts chunks back into messages. Single-threaded (one per listening connection). PostgreSQL delivers a
     * transaction's notifications together and in order, but a listener that reconnected may see the tail
     * of a message whose head it missed: such remains are dropped, and at most {@code maxPartial} unfinished
     * messages are kept (the oldest go first), so a broken sender cannot grow memory.
     */
    static final class Reassembly {

        private final int maxPartial;
        private final Map<String, String[]> partial = new LinkedHashMap<>();
        private long malformed;

        Reassembly(int maxPartial) {
            if (maxPartial < 1) {
                throw new IllegalArgumentException("maxPartial must be >= 1, was " + maxPartial);
            }
            this.maxPartial = maxPartial;
        }

        /** The message this payload completes, if it does; empty while chunks are missing or for a malformed payload. */
        Optional<String> accept(String payload) {
            Chunk chunk = Chunk.parse(payload);
            if (chunk == null) {
                malformed++;
                return Optional.empty();
            }
            if (chunk.count() == 1) {
                return Optional.of(chunk.text());
            }
            String[] parts = partial.get(chunk.messageId());
            if (parts == null) {
                if (partial.size() >= maxPartial) {
                    Iterator<String> oldest = partial.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
                parts = new String[chunk.count()];
                partial.put(chunk.messageId(), parts);
            } else if (parts.length != chunk.count()) {
                malformed++;
                return Optional.empty();
            }
            parts[chunk.index()] = chunk.text();
            if (Arrays.stream(parts).anyMatch(Objects::isNull)) {
                return Optional.empty();
            }
            partial.remove(chunk.messageId());
            return Optional.of(String.join("", parts));
        }

        /** Messages begun but not finished: their other chunks have not arrived (yet). */
        int unfinished() {
            return partial.size();
        }

        /** Payloads that were not chunks of this format (another sender on the channel, or a bug). */
        long malformed() {
            return malformed;
        }
    }

    /**
     * A payload's header, {@code messageId:index/count:}, read without copying its text; null when the payload is not
     * a chunk of this format.
     *
     * @param textStart where the chunk's text begins in the payload
     */
    record Header(String messageId, int index, int count, int textStart) {

        static Header of(String payload) {
            int first = payload.indexOf(':');
            int slash = first < 0 ? -1 : payload.indexOf('/', first + 1);
            int second = slash < 0 ? -1 : payload.indexOf(':', slash + 1);
            if (first <= 0 || second < 0) {
                return null;
            }
            try {
                int index = Integer.parseInt(payload, first + 1, slash, 10);
                int count = Integer.parseInt(payload, slash + 1, second, 10);
                if (count < 1 || index < 0 || index >= count) {
                    return null;
                }
                return new Header(payload.substring(0, first), index, count, second + 1);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        boolean isLast() {
            return index == count - 1;
        }
    }

    private record Chunk(String messageId, int index, int count, String text) {

        static Chunk parse(String payload) {
            Header header = Header.of(payload);
            return header == null ? null
                    : new Chunk(header.messageId(), header.index(), header.count(), payload.substring(header.textStart()));
        }
    }
}
