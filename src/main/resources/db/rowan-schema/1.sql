-- Schemas rowan and rowan_types; the column types email, uri and money and the casts that read them
--
-- Conventions for everything Rowan installs in a user database:
-- * Every name inside a function body is schema-qualified and the checks are SQL-standard bodies
--   (parsed once, at creation), so neither a caller's search_path nor pg_restore's empty one can
--   change what they mean. No function sets search_path itself: that would stop PostgreSQL from
--   inlining the SQL ones.
-- * A cast reads what a person types, not only PostgreSQL's own input syntax. Blank text (spaces
--   only) becomes NULL, because an empty spreadsheet cell is an empty value, not a bad one.
-- * A cast that cannot read its input raises SQLSTATE 22P02 (invalid_text_representation) with the
--   message '"<input>" is not <what>' and a hint saying what would be read, so the UI can show it as is.
-- * Nothing here depends on settings (DateStyle, lc_numeric, the collation's notion of case), so the
--   casts really are IMMUTABLE and may be used in indexes and generated columns.

CREATE SCHEMA IF NOT EXISTS rowan;
CREATE SCHEMA rowan_types;
COMMENT ON SCHEMA rowan IS 'Functions installed by Rowan. Removing the database from Rowan removes this schema.';
COMMENT ON SCHEMA rowan_types IS 'Column types installed by Rowan. Removing the database from Rowan converts columns of these types back to text or numeric, then removes this schema.';

-- Other roles of the database may read Rowan's columns and call its casts; only the owner changes them.
GRANT USAGE ON SCHEMA rowan, rowan_types TO PUBLIC;

-- The input without surrounding whitespace (no-break spaces too), or NULL when nothing is left.
CREATE FUNCTION rowan.trim_to_null(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN nullif(pg_catalog.regexp_replace(value, '^[\s\u00A0\u202F]+|[\s\u00A0\u202F]+$', '', 'g'), '');

-- Raises the one error every cast raises; long inputs are shortened in the message.
CREATE FUNCTION rowan.invalid_input(input text, expected text, hint text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'invalid_text_representation',
        MESSAGE = pg_catalog.format('"%s" is not %s',
            CASE WHEN pg_catalog.length(input) > 60 THEN pg_catalog.left(input, 57) || '...' ELSE input END, expected),
        HINT = hint;
END
$$;

-- A sane email address: one @, a local part without spaces or quoting, and a domain of at least two
-- names (IDN names in Unicode are fine). Stricter than RFC 5321 on purpose: quoted local parts and
-- address literals are legal but, in a spreadsheet, almost always typing mistakes.
CREATE FUNCTION rowan.is_email(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN pg_catalog.length(value) <= 254
    AND value ~ '^[^@]{1,64}@[^@]+$'                  -- exactly one @, at most 64 characters before it
    AND value !~ '[\s"(),:;<>\[\]\\]'                 -- no spaces, quotes, brackets, commas or colons
    AND value !~ '^\.|\.@|\.\.'                       -- no empty part between dots before the @
    AND value ~ '@[^.]+(\.[^.]+)+$'                   -- a domain of two or more non-empty names
    AND value !~ '@[^@]*[!#$%&''*+/=?^_`{|}~]'        -- domain names hold letters, digits and hyphens
    AND value !~ '@([^@]*\.)?-|-(\.[^@]*)?$'          -- no domain name starts or ends with a hyphen
    AND value !~ '@([^@]*\.)?[^.@]{64}'               -- each domain name at most 63 characters
    AND value ~ '\.[^.@]{2,}$' AND value !~ '\.[0-9]+$';  -- a top-level domain of two or more characters, not a number

-- The shape of an RFC 3986 URI: a scheme, a colon, then only characters a URI may hold and %XX
-- escapes. Non-ASCII letters are allowed (RFC 3987 IRIs: https://de.wikipedia.org/wiki/Köln).
CREATE FUNCTION rowan.is_uri(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN value ~ '^[A-Za-z][A-Za-z0-9+.-]*:.'          -- scheme ":" and something after it
    AND value !~ '[\s[:cntrl:]<>"{}|\\^`]'            -- characters no URI may contain
    AND value !~ '%(?![0-9A-Fa-f]{2})'                -- % only as an escape
    AND value !~ '#.*#';                              -- at most one fragment

CREATE DOMAIN rowan_types.email AS text CONSTRAINT email_shape CHECK (rowan.is_email(VALUE));
CREATE DOMAIN rowan_types.uri AS text CONSTRAINT uri_shape CHECK (rowan.is_uri(VALUE));
-- An amount without its currency: the currency symbol of a column is display metadata Rowan keeps in
-- its own database, so sums and comparisons stay plain numeric ones. No scale is imposed (yen have
-- none, dinars three).
CREATE DOMAIN rowan_types.money AS numeric CONSTRAINT money_finite CHECK (VALUE NOT IN ('NaN', 'Infinity', '-Infinity'));
COMMENT ON DOMAIN rowan_types.email IS 'An email address (Rowan). Cast text with rowan.cast_to_email.';
COMMENT ON DOMAIN rowan_types.uri IS 'A URI such as https://example.org (Rowan). Cast text with rowan.cast_to_uri.';
COMMENT ON DOMAIN rowan_types.money IS 'An amount of money; the currency is shown by Rowan (Rowan). Cast text with rowan.cast_to_money.';

-- A number as people write it, or NULL when it is not one. Grouping: "1,234,567.89", "1.234.567,89",
-- "1 234,5" (also no-break and thin spaces), "1'234.50". Ambiguous inputs are read this way:
-- "1,234" is one thousand two hundred thirty-four (a comma followed by exactly three digits after a
-- first group of one to three is grouping), "1,5" and "0,125" are decimal commas, and "1.234" is one
-- point two three four (a dot is grouping only when there are two groups or a decimal comma follows).
CREATE FUNCTION rowan.parse_number(value text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := rowan.trim_to_null(value);
    sign text := '';
    plain text;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    IF v ~ '^[-\u2212]' THEN  -- U+2212 is the typographic minus sign
        sign := '-';
    END IF;
    v := pg_catalog.regexp_replace(v, '^[-+\u2212]', '');
    IF v ~ '^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,4})?$' THEN
        plain := v;
    ELSIF v ~ '^[0-9]+,[0-9]*$' AND v !~ '^[1-9][0-9]{0,2},[0-9]{3}$' THEN
        plain := pg_catalog.replace(v, ',', '.');
    ELSIF v ~ '^[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]*)?$' THEN
        plain := pg_catalog.replace(v, ',', '');
    ELSIF v ~ '^[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]*)?$' THEN
        plain := pg_catalog.replace(pg_catalog.replace(v, '.', ''), ',', '.');
    ELSIF v ~ '^[1-9][0-9]{0,2}([ \u00A0\u202F\u2009''’])[0-9]{3}(\1[0-9]{3})*([.,][0-9]*)?$' THEN
        plain := pg_catalog.replace(pg_catalog.regexp_replace(v, '[ \u00A0\u202F\u2009''’]', '', 'g'), ',', '.');
    ELSE
        RETURN NULL;
    END IF;
    RETURN (sign || plain)::numeric;
END
$$;

-- Trims, accepts "Name <address>" (as mail programs copy it) and "mailto:", and lower-cases the
-- domain, which is case-insensitive; the part before the @ is kept as typed.
CREATE FUNCTION rowan.cast_to_email(value text) RETURNS rowan_types.email
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := rowan.trim_to_null(value);
    bracketed text[];
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    bracketed := pg_catalog.regexp_match(v, '^[^<>]*<([^<>]+)>$');
    IF bracketed IS NOT NULL THEN
        v := rowan.trim_to_null(bracketed[1]);
    END IF;
    v := pg_catalog.regexp_replace(v, '^mailto:', '', 'i');
    IF v ~ '^[^@]+@[^@]+$' THEN
        v := pg_catalog.split_part(v, '@', 1) || '@' || pg_catalog.lower(pg_catalog.split_part(v, '@', 2) COLLATE "C");
    END IF;
    IF v IS NULL OR NOT rowan.is_email(v) THEN
        PERFORM rowan.invalid_input(value, 'an email address', 'An email address looks like name@example.org.');
    END IF;
    RETURN v;
END
$$;

-- A URI with a scheme is kept (the scheme lower-cased); a bare host name such as "example.org" or
-- "www.example.org:8080/a?b" becomes http://…. What stays refused: a name without a dot
-- ("localhost", which is more likely a typo than a link), a path alone ("/path"), and http(s) without
-- a host. "word:" and up to five digits is read as a host and port, not as a scheme, so
-- "localhost:8080" is refused too (while "tel:5551234" is a URI).
CREATE FUNCTION rowan.cast_to_uri(value text) RETURNS rowan_types.uri
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := rowan.trim_to_null(value);
    result text;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    IF v ~* '^[a-z][a-z0-9+.-]*://' OR v ~* '^[a-z][a-z0-9+-]*:(?![0-9]{1,5}([/?#]|$))' THEN
        result := pg_catalog.lower(pg_catalog.split_part(v, ':', 1) COLLATE "C") || pg_catalog.substr(v, pg_catalog.strpos(v, ':'));
        IF result ~ '^[^:]*://([/?#]|$)' AND result !~ '^file:' THEN
            result := NULL;  -- an authority that is present must name a host, except for file:///path
        END IF;
    ELSIF v ~ ('^(([0-9]{1,3}\.){3}[0-9]{1,3}'                                                       -- an IPv4 address
            || '|([A-Za-z0-9\u00A1-\uFFFF]([A-Za-z0-9\u00A1-\uFFFF-]{0,61}[A-Za-z0-9\u00A1-\uFFFF])?\.)+'  -- or dotted names,
            || '[A-Za-z\u00A1-\uFFFF][A-Za-z0-9\u00A1-\uFFFF-]*[A-Za-z0-9\u00A1-\uFFFF])'                  -- the last not a number
            || '(:[0-9]{1,5})?([/?#].*)?$') THEN
        result := 'http://' || v;
    END IF;
    IF result IS NULL OR NOT rowan.is_uri(result) THEN
        PERFORM rowan.invalid_input(value, 'a URI',
            'A URI starts with a scheme such as https:// or mailto:, or is a host name such as example.org.');
    END IF;
    RETURN result;
END
$$;

-- An amount as people write it: a currency symbol ($ € £ ¥ …, optionally prefixed as in US$ or R$)
-- or a three-letter upper-case code (USD, EUR) before or after the number, a sign before or after the
-- symbol ("-€5", "€-5"), or parentheses for a negative amount ("(12.00)"). The number itself is read
-- by rowan.parse_number. The currency is dropped: the column's currency is display metadata.
CREATE FUNCTION rowan.cast_to_money(value text) RETURNS rowan_types.money
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := rowan.trim_to_null(value);
    negative boolean := false;
    parts text[];
    amount numeric;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    IF v ~ '^\(.*\)$' THEN
        negative := true;
        v := pg_catalog.btrim(pg_catalog.substr(v, 2, pg_catalog.length(v) - 2));
    END IF;
    -- sign, currency, sign, number, currency
    parts := pg_catalog.regexp_match(v, '^([-+\u2212]?)\s*([A-Z]{0,2}[$¢£¥€₩₪₫₭₱₹₺₽₴₦฿]|[A-Z]{3})?\s*([-+\u2212]?)\s*'
                                       || '([0-9.,][0-9.,''’ \u00A0\u202F\u2009]*)\s*([A-Z]{0,2}[$¢£¥€₩₪₫₭₱₹₺₽₴₦฿]|[A-Z]{3})?$');
    IF parts IS NOT NULL
            AND NOT (parts[2] IS NOT NULL AND parts[5] IS NOT NULL)
            AND NOT (parts[1] <> '' AND parts[3] <> '')
            AND NOT (negative AND parts[1] || parts[3] <> '') THEN
        amount := rowan.parse_number(parts[1] || parts[3] || parts[4]);
    END IF;
    IF amount IS NULL THEN
        PERFORM rowan.invalid_input(value, 'an amount of money',
            'Write an amount such as 1234.50, $1,234.50, 1.234,50 € or (12.00) for a negative one.');
    END IF;
    RETURN CASE WHEN negative THEN -amount ELSE amount END;
END
$$;
