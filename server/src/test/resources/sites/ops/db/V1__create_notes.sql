-- A table, so that the site opens its database at start-up and the pool reports its metrics (AdminTest).
create table notes (id integer primary key, text varchar(100));
