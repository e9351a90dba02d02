/**
 * Stream time and watermarks of a partition (SPEC §2, §7). Pure: the wall clock, needed only for
 * idle advance, is an injected {@link java.time.InstantSource}.
 */
package dev.pulse.stream.time;
