-- Casts to integer, bigint and double precision as people type them, and the check behind a type change's preview
--
-- PostgreSQL's own integer input refuses "1,234" and "3.0", which spreadsheets and exports write all
-- the time; these casts read numbers the way rowan.cast_to_numeric does and then insist on the range
-- of the type. rowan.cast_error lets one query tell, for every value of a column, whether changing the
-- column's type would fail on it and why. The conventions at the top of 1.sql hold here too.

-- A whole number between smallest and largest; range_hint says what the column holds when a value is outside.
CREATE FUNCTION rowan.parse_whole_number(value text, smallest numeric, largest numeric, range_hint text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    result numeric := rowan.parse_number(value);
BEGIN
    IF result IS NULL THEN
        IF rowan.trim_to_null(value) IS NOT NULL THEN
            PERFORM rowan.invalid_input(value, 'a whole number', 'Write a whole number such as 1234, -1,234 or 1 234.');
        END IF;
        RETURN NULL;
    END IF;
    IF result <> pg_catalog.trunc(result) THEN
        PERFORM rowan.invalid_input(value, 'a whole number',
            'A whole number has no fractional part; the number type holds values such as 1.5.');
    END IF;
    IF result < smallest OR result > largest THEN
        PERFORM rowan.invalid_input(value, 'a whole number', range_hint);
    END IF;
    RETURN result;
END
$$;

CREATE FUNCTION rowan.cast_to_integer(value text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN rowan.parse_whole_number(value, -2147483648, 2147483647,
    'An integer holds whole numbers from -2147483648 to 2147483647; bigint holds larger ones.')::integer;

CREATE FUNCTION rowan.cast_to_bigint(value text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN rowan.parse_whole_number(value, -9223372036854775808, 9223372036854775807,
    'A bigint holds whole numbers from -9223372036854775808 to 9223372036854775807; numeric holds larger ones.')::bigint;

-- A number as rowan.parse_number reads it, or one of the special values PostgreSQL's own input knows
-- (NaN, Infinity, -Infinity, inf). Magnitudes beyond about 1.8e308 do not fit and are refused.
CREATE FUNCTION rowan.cast_to_double(value text) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := rowan.trim_to_null(value);
    result numeric;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.lower(v COLLATE "C") IN ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf') THEN
        RETURN v::double precision;
    END IF;
    result := rowan.parse_number(v);
    IF result IS NULL THEN
        PERFORM rowan.invalid_input(value, 'a number', 'Write a number such as 1234.5, -1,234.5, 1.234,5, 1 234,5 or 1.5e-7.');
    END IF;
    IF pg_catalog.abs(result) > 1.7976931348623157e308 OR (result <> 0 AND pg_catalog.abs(result) < 1e-323) THEN
        PERFORM rowan.invalid_input(value, 'a number', 'A double precision number lies between about 1e-323 and 1.8e308 in size; numeric holds any size.');
    END IF;
    RETURN result::double precision;
END
$$;

-- Why the text value would not become a value of type target when Rowan changes a column to that
-- type, or NULL when it would. Each branch is the cast Rowan's ALTER … USING applies for that type
-- (the column types Rowan offers); any other target is refused rather than guessed. required: the
-- column may not hold NULL, so a blank that a cast reads as empty fails too.
-- Catching an error costs a subtransaction: callers check each distinct value once, not each row.
-- STABLE, not IMMUTABLE, and PARALLEL RESTRICTED: time zones and DateStyle change what some types
-- read, and parallel workers cannot start subtransactions.
CREATE FUNCTION rowan.cast_error(value text, target pg_catalog.regtype, required boolean) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED AS $$
DECLARE
    empty boolean;
BEGIN
    CASE target
        WHEN 'pg_catalog.text'::pg_catalog.regtype THEN empty := false;
        WHEN 'pg_catalog.int4'::pg_catalog.regtype THEN empty := rowan.cast_to_integer(value) IS NULL;
        WHEN 'pg_catalog.int8'::pg_catalog.regtype THEN empty := rowan.cast_to_bigint(value) IS NULL;
        WHEN 'pg_catalog.numeric'::pg_catalog.regtype THEN empty := rowan.cast_to_numeric(value) IS NULL;
        WHEN 'pg_catalog.float8'::pg_catalog.regtype THEN empty := rowan.cast_to_double(value) IS NULL;
        WHEN 'pg_catalog.bool'::pg_catalog.regtype THEN empty := rowan.cast_to_boolean(value) IS NULL;
        WHEN 'pg_catalog.date'::pg_catalog.regtype THEN empty := rowan.cast_to_date(value) IS NULL;
        WHEN 'pg_catalog.time'::pg_catalog.regtype THEN empty := value::pg_catalog.time IS NULL;
        WHEN 'pg_catalog.timestamp'::pg_catalog.regtype THEN empty := value::pg_catalog.timestamp IS NULL;
        WHEN 'pg_catalog.timestamptz'::pg_catalog.regtype THEN empty := value::pg_catalog.timestamptz IS NULL;
        WHEN 'pg_catalog.interval'::pg_catalog.regtype THEN empty := value::pg_catalog.interval IS NULL;
        WHEN 'pg_catalog.uuid'::pg_catalog.regtype THEN empty := value::pg_catalog.uuid IS NULL;
        WHEN 'pg_catalog.jsonb'::pg_catalog.regtype THEN empty := value::pg_catalog.jsonb IS NULL;
        WHEN 'rowan_types.email'::pg_catalog.regtype THEN empty := rowan.cast_to_email(value) IS NULL;
        WHEN 'rowan_types.uri'::pg_catalog.regtype THEN empty := rowan.cast_to_uri(value) IS NULL;
        WHEN 'rowan_types.money'::pg_catalog.regtype THEN empty := rowan.cast_to_money(value) IS NULL;
        ELSE
            RAISE EXCEPTION USING
                ERRCODE = 'feature_not_supported',
                MESSAGE = pg_catalog.format('Rowan does not change columns to type %s', target);
    END CASE;
    IF required AND empty THEN
        RETURN pg_catalog.format('"%s" would become empty, but the column requires a value', value);
    END IF;
    RETURN NULL;
EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
    RETURN SQLERRM;
END
$$;
