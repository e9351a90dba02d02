# shellcheck shell=bash
# Credentials for a Pulse started by the scripts (SPEC §5.5, README "Security"). Sourced, never executed.
#
#   pulse_random_token                  64 hex digits from /dev/urandom (256 bits)
#   pulse_random_password               24 characters from /dev/urandom
#   pulse_security_config FILE USER PASSWORD TOKEN JAR
#       writes FILE (mode 600): pulse.security with USER (role admin, its password BCrypt-hashed by the jar's
#       HashCommand; skipped when USER is empty), an admin token "scripts" (SHA-256 of TOKEN; skipped when empty)
#       and a random session key. Only hashes reach the file. Pass it to Pulse as
#       SPRING_CONFIG_ADDITIONAL_LOCATION=file:FILE (or --spring.config.additional-location=file:FILE).

pulse_random_token() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

pulse_random_password() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }

pulse_security_config() {
  local file=$1 user=$2 password=$3 token=$4 jar=$5 hash
  (
    umask 077
    {
      echo "# written by scripts/lib/security.sh: hashes only (README \"Security\")"
      echo "pulse:"
      echo "  security:"
      echo "    session-key: $(head -c 32 /dev/urandom | base64)"
      if [[ -n $user ]]; then
        [[ $user =~ ^[A-Za-z0-9._-]+$ ]] || { echo "user name must be [A-Za-z0-9._-]+: $user" >&2; return 1; }
        # The password goes in on standard input, never on a command line (ps would show it).
        hash=$(printf '%s\n' "$password" | java -cp "$jar" -Dloader.main=dev.pulse.security.HashCommand \
          org.springframework.boot.loader.launch.PropertiesLauncher password) || return 1
        echo "    users:"
        echo "      \"[$user]\":"
        echo "        password-hash: \"$hash\""
        echo "        roles: admin"
      fi
      if [[ -n $token ]]; then
        echo "    tokens:"
        echo "      scripts:"
        echo "        sha256: $(printf '%s' "$token" | sha256sum | cut -d' ' -f1)"
        echo "        roles: admin"
      fi
    } >"$file"
  )
}
