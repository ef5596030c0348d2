package com.replyhero.whatsapp;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway keeps its data ({@code rh.data-dir}).
 *
 * @param dataDir the data directory ({@code RH_DATA_DIR}): embedded database, generated secrets, demo.json,
 *     sandbox state
 */
@ConfigurationProperties("rh")
@Validated
public record DataDirSettings(
        @DefaultValue("./data") @NotBlank String dataDir) {}
