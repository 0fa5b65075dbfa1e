-- A small bookshop, so a newcomer sees related data at once: authors, books, customers, orders and
-- their lines, with foreign keys and Rowan's email, URI and money types. About 4,000 rows.
-- Runs after the Rowan schemas are installed, in one transaction.
CREATE TABLE authors (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    website    rowan_types.uri,
    born       date
);

CREATE TABLE books (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL,
    author_id  integer NOT NULL REFERENCES authors (id),
    isbn       text UNIQUE,
    price      rowan_types.money NOT NULL,
    published  date,
    in_stock   boolean NOT NULL DEFAULT true
);

CREATE TABLE customers (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    email      rowan_types.email UNIQUE,
    city       text,
    joined_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    ordered_at  timestamptz NOT NULL,
    status      text NOT NULL CHECK (status IN ('new', 'paid', 'shipped', 'cancelled'))
);

CREATE TABLE order_lines (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   integer NOT NULL REFERENCES orders (id),
    book_id    integer NOT NULL REFERENCES books (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price rowan_types.money NOT NULL
);

INSERT INTO authors (name, website, born)
SELECT (ARRAY['Ada','Brian','Chidi','Dana','Emeka','Fatima','Gustav','Hana','Ivan','Julia'])[1 + i % 10] || ' '
       || (ARRAY['Okafor','Lindqvist','Moreau','Tanaka','Silva','Novak','Haddad','Kowalski','Reyes','Byrne'])[1 + (i * 7) % 10],
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'https://author' || i || '.example.org' END,
       date '1940-01-01' + (i * 997 % 20000)
FROM generate_series(1, 60) AS i;

INSERT INTO books (title, author_id, isbn, price, published, in_stock)
SELECT (ARRAY['The Quiet','A Short History of','Notes on','The Last','Letters from','Walking with','The Art of','Under the'])[1 + i % 8] || ' '
       || (ARRAY['River','Tables','Winter','Harbour','Numbers','Garden','Machine','Orchard','Lantern','Archive'])[1 + (i * 3) % 10]
       || CASE WHEN i > 80 THEN ' ' || (i / 80 + 1)::text ELSE '' END,
       1 + i % 60,
       '978' || lpad((1000000000 + i * 7919)::text, 10, '0'),
       (5 + (i * 37 % 4500) / 100.0)::numeric(12, 2),
       date '1990-01-01' + (i * 131 % 12000),
       i % 9 <> 0
FROM generate_series(1, 400) AS i;

INSERT INTO customers (name, email, city, joined_at)
SELECT (ARRAY['Alex','Sam','Robin','Kim','Lee','Noor','Mika','Jo','Ari','Tess'])[1 + i % 10] || ' '
       || (ARRAY['Adams','Baker','Chen','Diaz','Evans','Fischer','Garcia','Hughes','Ito','Jensen'])[1 + (i * 3) % 10],
       'customer' || i || '@example.com',
       (ARRAY['Lisbon','Nairobi','Osaka','Toronto','Berlin','Lima','Dublin','Hanoi'])[1 + i % 8],
       timestamptz '2022-01-01 09:00+00' + (i * 3607 % 30000000) * interval '1 second'
FROM generate_series(1, 800) AS i;

INSERT INTO orders (customer_id, ordered_at, status)
SELECT 1 + (i * 13) % 800,
       timestamptz '2023-01-01 10:00+00' + (i * 5113 % 60000000) * interval '1 second',
       (ARRAY['new','paid','paid','shipped','shipped','shipped','cancelled'])[1 + i % 7]
FROM generate_series(1, 1200) AS i;

INSERT INTO order_lines (order_id, book_id, quantity, unit_price)
SELECT 1 + (i % 1200), b.id, 1 + i % 3, b.price
FROM generate_series(1, 1600) AS i
JOIN books b ON b.id = 1 + (i * 17) % 400;
