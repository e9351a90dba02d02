package dev.pulse.rules;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Deterministic detection ids (SPEC §3.3, §7): a hash of (pattern, family, anchor), so a replay or
 * another arrival order can never create a second copy of a detection.
 */
public final class DetectionId {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * One digest and buffer per thread (each partition's engine runs on one): the engine makes an id for every new
     * detection, and a digest cloned per id, with a byte array per part, was most of what an engagement alert
     * allocated.
     */
    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    private DetectionId() {
    }

    /** 32 hex characters of SHA-256 over the three parts, each length-prefixed so no two inputs collide by concatenation. */
    public static String of(String pattern, String familyId, String anchor) {
        return HASHER.get().id(pattern, familyId, anchor);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Hashes {@code len:bytes} for each part (len in decimal ASCII, bytes UTF-8), reusing its digest and buffers. */
    private static final class Hasher {

        private final MessageDigest digest = sha256();
        private final byte[] hash = new byte[32];
        private byte[] buffer = new byte[256];
        private int size;

        String id(String pattern, String familyId, String anchor) {
            size = 0;
            part(pattern);
            part(familyId);
            part(anchor);
            digest.update(buffer, 0, size);
            try {
                digest.digest(hash, 0, hash.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a SHA-256 hash is 32 bytes", e);
            }
            return HEX.formatHex(hash, 0, 16);
        }

        private void part(String s) {
            int n = s.length();
            int ascii = 0;
            while (ascii < n && s.charAt(ascii) < 0x80) {
                ascii++;
            }
            if (ascii == n) {
                room(n + 12);
                writeLength(n);
                for (int i = 0; i < n; i++) {
                    buffer[size++] = (byte) s.charAt(i);
                }
            } else {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                room(bytes.length + 12);
                writeLength(bytes.length);
                System.arraycopy(bytes, 0, buffer, size, bytes.length);
                size += bytes.length;
            }
        }

        /** {@code Integer.toString(length)} in ASCII, then ':'. */
        private void writeLength(int length) {
            int digits = 1;
            for (int v = length; v >= 10; v /= 10) {
                digits++;
            }
            for (int i = size + digits - 1, v = length; i >= size; i--, v /= 10) {
                buffer[i] = (byte) ('0' + v % 10);
            }
            size += digits;
            buffer[size++] = ':';
        }

        private void room(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, size + more));
            }
        }
    }
}
