package dev.pulse.config;

import dev.pulse.projection.CounterQueries;
import dev.pulse.projection.CounterStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The counters' store (written by the pipeline's checkpoint) and queries (read by REST), SPEC §3.2. */
@Configuration(proxyBeanMethods = false)
class CounterBeans {

    @Bean
    CounterStore counterStore(DatabaseClient db) {
        return new CounterStore(db);
    }

    @Bean
    CounterQueries counterQueries(DatabaseClient db, KafkaProperties kafka) {
        return new CounterQueries(db, kafka.groupId(), kafka.topic());
    }
}
