package com.replyhero.whatsapp.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's access ({@code rh.admin-token}).
 *
 * @param adminToken the admin API's token ({@code RH_ADMIN_TOKEN}); empty: generated once into
 *     {@code RH_DATA_DIR/secrets/admin-token}
 */
@ConfigurationProperties("rh")
record AdminSettings(@DefaultValue("") String adminToken) {}
