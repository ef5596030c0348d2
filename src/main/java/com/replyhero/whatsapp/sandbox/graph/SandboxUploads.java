package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Meta's Resumable Upload API, in the sandbox: a session per file ({@code upload:...}, for its length and type),
 * completed by the file's bytes in one request, which answers the file's handle; template creation takes only handles
 * made here.
 */
@Component
@Conditional(SandboxEnabled.class)
class SandboxUploads {

    static final List<String> TYPES = List.of("application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4");

    private record Session(long length, String type) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Set<String> handles = ConcurrentHashMap.newKeySet();

    String start(long length, String type) {
        String id = "upload:" + UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(length, type));
        return id;
    }

    /** The handle of the file, or null for an unknown session or bytes of another length than announced. */
    String complete(String id, byte[] bytes) {
        Session session = sessions.get(id);
        if (session == null || session.length() != bytes.length) {
            return null;
        }
        sessions.remove(id);
        String handle = "4::" + Base64.getEncoder().encodeToString((session.type() + ":" + id).getBytes()) + ":"
                + UUID.randomUUID().toString().replace("-", "");
        handles.add(handle);
        return handle;
    }

    boolean isHandle(String handle) {
        return handles.contains(handle);
    }
}
