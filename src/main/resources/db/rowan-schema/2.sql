-- Casts from text to numeric, boolean and date, as people type them
--
-- Version 1 holds what Rowan's own column types cannot do without. These casts serve changing a text
-- column's type (with a preview of the values that would fail) and reading imported CSV, where
-- PostgreSQL's own input functions refuse "1,234.50" and "yes" and read "03/05/2024" according to the
-- session's DateStyle. The conventions at the top of 1.sql hold here too.

CREATE FUNCTION rowan.cast_to_numeric(value text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    result numeric := rowan.parse_number(value);
BEGIN
    IF result IS NULL AND rowan.trim_to_null(value) IS NOT NULL THEN
        PERFORM rowan.invalid_input(value, 'a number', 'Write a number such as 1234.5, -1,234.5, 1.234,5 or 1 234,5.');
    END IF;
    RETURN result;
END
$$;

CREATE FUNCTION rowan.cast_to_boolean(value text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v text := pg_catalog.lower(rowan.trim_to_null(value) COLLATE "C");
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    ELSIF v IN ('true', 't', 'yes', 'y', 'on', '1') THEN
        RETURN true;
    ELSIF v IN ('false', 'f', 'no', 'n', 'off', '0') THEN
        RETURN false;
    END IF;
    PERFORM rowan.invalid_input(value, 'a yes/no value', 'Write yes or no, true or false, on or off, y or n, t or f, 1 or 0.');
    RETURN NULL;
END
$$;

-- Reads, whatever the session's DateStyle:
--   2024-03-05, 2024/03/05, 2024.3.5   year, month, day (ISO 8601 order)
--   03/05/2024                         MONTH/day/year, as in the United States: this is March 5.
--                                      Slashes with the day first (common in Europe) are not told
--                                      apart; write those with dots or a month name instead.
--   05.03.2024                         day.month.year, as in most of Europe: this is 5 March
--   March 5, 2024   Mar 5 2024         month name first (English names, full or from 3 letters)
--   5 Mar 2024   5 March, 2024   05-Mar-2024   day first with a month name
-- Years have four digits: "3/5/24" is refused rather than guessed into a century.
CREATE FUNCTION rowan.cast_to_date(value text) RETURNS date
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    months constant text[] := ARRAY['january', 'february', 'march', 'april', 'may', 'june', 'july',
                                    'august', 'september', 'october', 'november', 'december'];
    v text := rowan.trim_to_null(value);
    parts text[];
    month_name text;
    y int;
    m int;
    d int;
BEGIN
    IF v IS NULL THEN
        RETURN NULL;
    END IF;
    parts := pg_catalog.regexp_match(v, '^([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})$');
    IF parts IS NOT NULL THEN
        y := parts[1]; m := parts[3]; d := parts[4];
    END IF;
    parts := pg_catalog.regexp_match(v, '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$');
    IF parts IS NOT NULL THEN
        m := parts[1]; d := parts[2]; y := parts[3];
    END IF;
    parts := pg_catalog.regexp_match(v, '^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$');
    IF parts IS NOT NULL THEN
        d := parts[1]; m := parts[2]; y := parts[3];
    END IF;
    parts := pg_catalog.regexp_match(v, '^([a-z]+)\.?\s+([0-9]{1,2})(st|nd|rd|th)?,?\s+([0-9]{4})$', 'i');
    IF parts IS NOT NULL THEN
        month_name := parts[1]; d := parts[2]; y := parts[4];
    END IF;
    parts := pg_catalog.regexp_match(v, '^([0-9]{1,2})(st|nd|rd|th)?(\s+|-)([a-z]+)\.?,?(\s+|-)([0-9]{4})$', 'i');
    IF parts IS NOT NULL THEN
        d := parts[1]; month_name := parts[4]; y := parts[6];
    END IF;
    IF month_name IS NOT NULL AND pg_catalog.length(month_name) >= 3 THEN
        month_name := pg_catalog.lower(month_name COLLATE "C");
        FOR i IN 1..12 LOOP
            IF pg_catalog.starts_with(months[i], month_name) THEN
                m := i;
            END IF;
        END LOOP;
    END IF;
    IF y IS NULL OR m IS NULL OR y < 1 OR m NOT BETWEEN 1 AND 12 THEN
        PERFORM rowan.invalid_input(value, 'a date', 'Write a date such as 2024-03-05, March 5, 2024, 5 Mar 2024 or 03/05/2024 (month first).');
    END IF;
    IF d NOT BETWEEN 1 AND pg_catalog.date_part('day', pg_catalog.make_date(y, m, 1) + interval '1 month' - interval '1 day') THEN
        PERFORM rowan.invalid_input(value, 'a date',
            pg_catalog.format('%s %s has no day %s.', pg_catalog.initcap(months[m]), y, d));
    END IF;
    RETURN pg_catalog.make_date(y, m, d);
END
$$;
