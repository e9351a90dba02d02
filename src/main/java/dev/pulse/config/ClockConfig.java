package dev.pulse.config;

import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one place the wall clock enters Pulse (CONVENTIONS §2.3). */
@Configuration(proxyBeanMethods = false)
class ClockConfig {

    @Bean
    InstantSource instantSource() {
        return InstantSource.system();
    }
}
