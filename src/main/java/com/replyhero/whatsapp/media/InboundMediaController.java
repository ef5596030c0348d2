package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The bytes of a medium a customer sent, as downloaded from the Cloud API. */
@RestController
@Tag(name = "Media")
@SecurityRequirement(name = "apiKey")
class InboundMediaController {

    private final InboundMediaFiles files;

    InboundMediaController(InboundMediaFiles files) {
        this.files = files;
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/media/{id}")
    @Operation(
            summary = "Download a medium a customer sent (the media id in message.received's content / mediaId)",
            description = "409 media_not_ready while it is being downloaded from the Cloud API; 410"
                    + " media_unavailable when every download attempt failed or the stored file is gone (a bucket's"
                    + " lifecycle rule); 500 media_corrupted when the stored bytes no longer match the SHA-256"
                    + " recorded when they were stored (checked before any byte is sent).")
    ResponseEntity<Resource> get(Caller caller, @PathVariable String id) {
        return files.serve(caller.orgId(), id);
    }
}
