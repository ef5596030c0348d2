package com.replyhero.whatsapp.docs;

import com.replyhero.whatsapp.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Every {@code rh.*} setting the gateway reads: the {@code @ConfigurationProperties} records of its features, bound
 * as the gateway binds them, flattened to one entry per property (nested records included).
 */
final class SettingsCatalog {

    /** One property: its name in kebab case, the record component's type and the value bound. */
    record Setting(String name, ResolvableType type, Object value) {}

    static final ConversionService CONVERSION = ApplicationConversionService.getSharedInstance();

    private SettingsCatalog() {}

    /** The records' own defaults: nothing configured at all. */
    static Map<String, Setting> defaults() {
        return bound(new MutablePropertySources());
    }

    /** What the gateway starts with when nothing is set outside it: the records under application.properties. */
    static Map<String, Setting> startingValues() {
        return bound(applicationProperties(Map.of()));
    }

    /** What the gateway starts with under these environment variables (and application.properties). */
    static Map<String, Setting> underEnvironment(Map<String, Object> variables) {
        return bound(applicationProperties(variables));
    }

    /** The settings records of the gateway, in name order. */
    static List<Class<?>> records() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> records = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(GatewayApplication.class.getPackageName())) {
            records.add(ClassUtils.resolveClassName(
                    Objects.requireNonNull(candidate.getBeanClassName()), SettingsCatalog.class.getClassLoader()));
        }
        records.sort(Comparator.comparing(Class::getName));
        return records;
    }

    static String prefixOf(Class<?> record) {
        ConfigurationProperties annotation = record.getAnnotation(ConfigurationProperties.class);
        return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    }

    private static Map<String, Setting> bound(MutablePropertySources sources) {
        Binder binder = new Binder(
                ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources),
                CONVERSION);
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Class<?> record : records()) {
            String prefix = prefixOf(record);
            flatten(prefix, record, binder.bindOrCreate(prefix, record), settings);
        }
        return settings;
    }

    private static void flatten(String prefix, Class<?> record, Object value, Map<String, Setting> into) {
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Object componentValue = read(component, value);
            if (component.getType().isRecord()) {
                flatten(name, component.getType(), componentValue, into);
            } else {
                into.put(name, new Setting(name, ResolvableType.forType(component.getGenericType()), componentValue));
            }
        }
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** A value written in the docs (or a property), converted to the setting's type. */
    static Object convert(String text, Setting setting) {
        return CONVERSION.convert(
                text, TypeDescriptor.valueOf(String.class), new TypeDescriptor(setting.type(), null, null));
    }

    private static MutablePropertySources applicationProperties(Map<String, Object> variables) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new SystemEnvironmentPropertySource("systemEnvironment", variables));
        try {
            for (PropertySource<?> source : new PropertiesPropertySourceLoader()
                    .load(
                            "application.properties",
                            new FileSystemResource("src/main/resources/application.properties"))) {
                sources.addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }
}
