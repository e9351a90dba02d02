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
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {pattern, familyId, anchor}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
