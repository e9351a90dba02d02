package dev.pulse.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints the hash to configure for a secret read from standard input (never from the command line, where {@code ps}
 * would show it): {@code password} gives a {@code {bcrypt}} hash for {@code pulse.security.users.<name>.password-hash},
 * {@code token} the SHA-256 for {@code pulse.security.tokens.<name>.sha256}. scripts/run uses it; README "Security"
 * shows how to run it from the jar.
 */
public final class HashCommand {

    private HashCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !(args[0].equals("password") || args[0].equals("token"))) {
            System.err.println("usage: HashCommand password|token   (reads the secret from standard input)");
            System.exit(2);
        }
        String secret = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (secret == null || secret.isEmpty()) {
            System.err.println("no secret on standard input");
            System.exit(2);
        }
        System.out.println(args[0].equals("password") ? SecretHashes.hashPassword(secret) : SecretHashes.hashToken(secret));
    }
}
