package dev.rowan.secret;

import dev.rowan.UserFacingException;
import dev.rowan.config.ConfigFile;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.config.Source;
import dev.rowan.internal.DatabaseStore;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.MetaStore;
import dev.rowan.internal.StoredDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Replaces the secret key: everything encrypted is re-encrypted under the new key in one transaction. */
public final class KeyRotation {
    private KeyRotation() {
    }

    /**
     * Rotates to {@code newKey} (or a generated one when null, which needs the key to live in the data
     * directory's rowan.conf, where it is then replaced). Returns the new key's fingerprint.
     */
    public static String rotate(Settings settings, InternalDatabase db, String newKey) {
        String oldKey = settings.get(Options.SECRET_KEY);
        Source source = settings.source(Options.SECRET_KEY);
        boolean ownFile = source.kind() == Source.Kind.GENERATED
                || (source.kind() == Source.Kind.CONFIG_FILE && source.where().startsWith(settings.ownConfigFile() + ","));
        if (newKey == null && !ownFile) {
            throw new UserFacingException("The secret key comes from " + source.describe() + ", which Rowan does not write. "
                    + "Put a new key (at least 32 random characters, e.g. `openssl rand -base64 32`) in a file, run "
                    + "`rowan secret rotate --new-key-file FILE`, then set " + Options.SECRET_KEY.envName() + " (or wherever the key is set) to it.");
        }
        String stored = new MetaStore(db).get(MetaStore.SECRET_FINGERPRINT).orElse("");
        if (!stored.equals(SecretKeys.fingerprint(oldKey))) {
            throw new UserFacingException("The configured secret key (fingerprint " + SecretKeys.fingerprint(oldKey)
                    + ") is not this installation's key (fingerprint " + stored + "); only the current key can be rotated.");
        }
        String key = newKey != null ? Options.SECRET_KEY.type().parse(newKey) : SecretKeys.generate();
        CredentialCipher from = new CredentialCipher(oldKey);
        CredentialCipher to = new CredentialCipher(key);
        DatabaseStore store = new DatabaseStore(db);
        Map<Long, String> plaintext = new HashMap<>();
        for (StoredDatabase d : store.list()) {
            if (d.passwordEncrypted() == null) continue;
            try {
                plaintext.put(d.id(), from.decrypt(d.passwordEncrypted(), d.credentialContext()));
            } catch (CredentialCipher.Unreadable e) {
                throw new UserFacingException("The stored password of database \"" + d.name() + "\" cannot be decrypted with the "
                        + "current key (" + e.getMessage() + "), so the key cannot be rotated. Remove that database or enter its password again first.");
            }
        }
        String builtin = new MetaStore(db).get(MetaStore.BUILTIN_PASSWORD).map(v -> {
            try {
                return from.decrypt(v, MetaStore.BUILTIN_PASSWORD);
            } catch (CredentialCipher.Unreadable e) {
                throw new UserFacingException("The built-in PostgreSQL server's password cannot be decrypted with the current key; "
                        + "the key cannot be rotated.");
            }
        }).orElse(null);
        String fingerprint = SecretKeys.fingerprint(key);
        // A generated key is written beside rowan.conf before anything changes, so it cannot be lost halfway.
        Path pending = settings.ownConfigFile().resolveSibling("rowan.conf.new-key");
        if (newKey == null) {
            try {
                Files.deleteIfExists(pending);
                ConfigFile.append(pending, "New secret key being rotated in; it replaces secret.key in rowan.conf.", Options.SECRET_KEY.key(), key);
            } catch (IOException e) {
                throw new UserFacingException("Rowan cannot write " + pending + " (" + e.getClass().getSimpleName() + "); nothing was changed.");
            }
        }
        store.reseal(d -> to.encrypt(plaintext.get(d.id()), d.credentialContext()), fingerprint,
                sealed -> to.encrypt(builtin, MetaStore.BUILTIN_PASSWORD));
        if (newKey == null) {
            try {
                ConfigFile.replace(settings.ownConfigFile(), Options.SECRET_KEY.key(), key);
                Files.delete(pending);
            } catch (IOException e) {
                throw new UserFacingException("The stored passwords were re-encrypted under the new key (fingerprint " + fingerprint
                        + "), but " + settings.ownConfigFile() + " could not be updated (" + e.getClass().getSimpleName()
                        + "). The new key is in " + pending + ": copy its secret.key line into " + settings.ownConfigFile() + ".");
            }
        }
        return fingerprint;
    }
}
