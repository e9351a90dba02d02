package dev.pulse.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic detection ids (SPEC §3.3, §7): a hash of (pattern, family, anchor), so a replay or
 * another arrival order can never create a second copy of a detection.
 */
public final class DetectionId {

    private DetectionId() {
    }

    /** 32 hex characters of SHA-256 over the three parts, each length-prefixed so no two inputs collide by concatenation. */
    public static String of(String pattern, String familyId, String anchor) {
        MessageDigest digest = newDigest();
        update(digest, pattern);
        update(digest, familyId);
        update(digest, anchor);
        return HEX.formatHex(digest.digest(), 0, 16);
    }

    private static final HexFormat HEX = HexFormat.of();

    /** Cloning a digest skips the provider lookup of {@code getInstance}, which costs more than hashing these few bytes. */
    private static final MessageDigest PROTOTYPE = sha256();

    private static MessageDigest newDigest() {
        if (PROTOTYPE != null) {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                // a provider whose digest cannot be cloned: look it up each time
            }
        }
        MessageDigest digest = sha256();
        if (digest == null) {
            throw new IllegalStateException("SHA-256 is part of every JDK");
        }
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
