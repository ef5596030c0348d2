package com.replyhero.whatsapp.messages.store;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A row of {@code messages} as a {@link Message}: the one mapping every query of the feature reads with. */
@Component
public class MessageRows implements RowMapper<Message> {

    private final JsonMapper json;

    MessageRows(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Message mapRow(ResultSet rs, int row) throws SQLException {
        String response = rs.getString("response");
        int upstreamCode = rs.getInt("upstream_code");
        boolean noUpstreamCode = rs.wasNull();
        return new Message(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("customer_id"),
                rs.getString("user_id"),
                rs.getString("session_id"),
                rs.getString("message_type"),
                rs.getString("kind"),
                json.readTree(rs.getString("content")),
                MessageStatus.of(rs.getString("status")),
                rs.getString("wamid"),
                response == null ? null : json.readTree(response),
                rs.getString("error_code"),
                rs.getString("error_message"),
                noUpstreamCode ? null : upstreamCode,
                rs.getBytes("request_hash"),
                rs.getInt("attempts"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getBoolean("sender_stopped"),
                rs.getTimestamp("lease_until") == null
                        ? null
                        : rs.getTimestamp("lease_until").toInstant(),
                rs.getString("channel_id"),
                rs.getTimestamp("marked_read_at") == null
                        ? null
                        : rs.getTimestamp("marked_read_at").toInstant(),
                rs.getString("broadcast_id"));
    }

    /** A JSON value (content, Meta's answer) as the parameter of a {@code jsonb} column. */
    public String jsonb(JsonNode value) {
        return json.writeValueAsString(value);
    }
}
