package dev.pulse.config;

import dev.pulse.projection.TrendingQueries;
import dev.pulse.push.hub.UpdateHub;
import dev.pulse.trending.TrendingFeed;
import dev.pulse.trending.TrendingWindow;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Trending (SPEC §3.5): read from the tumbling counter rows, published to the hub as windows close. A replay
 * pushes nothing, so its feed never runs; {@code pulse.trending.enabled=false} leaves the feed stopped and
 * {@code GET /api/trending} answering 404.
 */
@Configuration(proxyBeanMethods = false)
class TrendingBeans {

    @Bean
    TrendingWindow trendingWindow(TrendingProperties trending, CounterProperties counters) {
        return TrendingWindow.over(trending.spec(), counters.specs());
    }

    @Bean
    TrendingQueries trendingQueries(DatabaseClient db, KafkaProperties kafka, TrendingProperties trending) {
        return new TrendingQueries(db, kafka.groupId(), kafka.topic(), trending.top(), trending.minCount());
    }

    @Bean
    TrendingFeed trendingFeed(TrendingWindow window, TrendingQueries queries, UpdateHub hub, TrendingProperties trending) {
        return new TrendingFeed(window, queries::watermark, span -> queries.read(window, span), hub::publishTrending, Schedulers.parallel(), trending.poll());
    }

    @Bean
    FluxLifecycle trendingLifecycle(TrendingFeed feed, TrendingProperties trending, ReplayProperties replay) {
        return new FluxLifecycle("trending feed", trending.enabled() && !replay.active() ? feed::run : Flux::never);
    }
}
