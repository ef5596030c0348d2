package com.replyhero.whatsapp.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo organization ({@code rh.demo.*}).
 *
 * @param enabled whether a first start on the sandbox creates a demo organization, customer and API key
 *     ({@code RH_DATA_DIR/demo.json})
 */
@ConfigurationProperties("rh.demo")
record DemoSettings(@DefaultValue("true") boolean enabled) {}
