package com.replyhero.bench.ceiling;

import com.replyhero.whatsapp.Ids;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /ceiling/messages}: the request's JSON stored as one row, its id answered. */
@RestController
class CeilingController {

    private final JdbcClient db;
    private final JsonMapper json;

    CeilingController(JdbcClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
        createTable();
    }

    private void createTable() {
        db.sql("CREATE SCHEMA IF NOT EXISTS ceiling").update();
        db.sql("""
                        CREATE TABLE IF NOT EXISTS ceiling.requests (
                            id         text PRIMARY KEY,
                            body       jsonb NOT NULL,
                            created_at timestamptz NOT NULL DEFAULT now()
                        )
                        """).update();
    }

    @PostMapping("/ceiling/messages")
    Map<String, String> store(@RequestBody JsonNode body) {
        String id = Ids.next();
        db.sql("INSERT INTO ceiling.requests (id, body) VALUES (:id, :body::jsonb)")
                .param("id", id)
                .param("body", json.writeValueAsString(body))
                .update();
        return Map.of("id", id);
    }

    /** How many rows the ceiling stored: the benchmark checks it against the 200s its load generator saw. */
    @GetMapping("/ceiling/messages/count")
    Map<String, Long> count() {
        return Map.of(
                "count",
                db.sql("SELECT count(*) FROM ceiling.requests")
                        .query(Long.class)
                        .single());
    }
}
