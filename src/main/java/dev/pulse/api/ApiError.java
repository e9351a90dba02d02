package dev.pulse.api;

/** The error body of every 4xx/5xx answer (SPEC §5.1). */
public record ApiError(String error, String detail) {
}
