package dev.rowan.http;

import dev.rowan.auth.AuthService;
import dev.rowan.imports.ImportJobs;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.structure.StructureService;
import dev.rowan.records.RecordService;
import dev.rowan.userdb.UserDatabases;

/** The services the API routes call into; opened by the application while the HTTP server starts. */
public interface Backend {
    AuthService auth();

    UserDatabases databases();

    InternalDatabase db();

    StructureService structure();
    RecordService records();
    ImportJobs imports();
}
