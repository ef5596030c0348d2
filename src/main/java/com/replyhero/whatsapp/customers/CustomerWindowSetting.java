package com.replyhero.whatsapp.customers;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Carries {@code rh.customers.window} to the database, where the window rule lives ({@link Customers#windowOpen}):
 * every connection of the pool starts with the session setting {@code rh.customer_window}, so the rule stays one
 * SQL expression on the database's clock.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomerSettings.class)
class CustomerWindowSetting {

    static final String SESSION_SETTING = "rh.customer_window";

    /** Static: a post-processor is made before the other beans, so it binds the setting itself; after the pool was bound. */
    @Bean
    static BeanPostProcessor customerWindowOnEveryConnection(Environment environment) {
        CustomerSettings settings = Binder.get(environment).bindOrCreate("rh.customers", CustomerSettings.class);
        String set = setStatement(settings);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool) {
                    String earlier = pool.getConnectionInitSql();
                    pool.setConnectionInitSql(earlier == null || earlier.isBlank() ? set : earlier + "; " + set);
                }
                return bean;
            }
        };
    }

    /** {@code SET rh.customer_window = '86400000 milliseconds'}: a number, never text from elsewhere. */
    static String setStatement(CustomerSettings settings) {
        return "SET " + SESSION_SETTING + " = '" + settings.window().toMillis() + " milliseconds'";
    }
}
