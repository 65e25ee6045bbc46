-- +goose Up
-- The certificate database of cfssl and cfssl-c (MySQL, MariaDB), migration
-- 001: the tables of cfssl's certdb/mysql migration of the same name. Apply in
-- order with `mariadb DB < 001_CreateCertificates.sql` then 002 (or `mysql`,
-- or goose: the files carry its annotation; there is no Down part). The zero
-- defaults need an sql_mode without NO_ZERO_DATE (MariaDB's default).

CREATE TABLE certificates (
  serial_number            varbinary(128) NOT NULL,
  authority_key_identifier varbinary(128) NOT NULL,
  ca_label                 varbinary(128),
  status                   varbinary(128) NOT NULL,
  reason                   int,
  expiry                   timestamp DEFAULT '0000-00-00 00:00:00',
  revoked_at               timestamp DEFAULT '0000-00-00 00:00:00',
  pem                      varbinary(4096) NOT NULL,
  PRIMARY KEY(serial_number, authority_key_identifier)
);

CREATE TABLE ocsp_responses (
  serial_number            varbinary(128) NOT NULL,
  authority_key_identifier varbinary(128) NOT NULL,
  body                     varbinary(4096) NOT NULL,
  expiry                   timestamp DEFAULT '0000-00-00 00:00:00',
  PRIMARY KEY(serial_number, authority_key_identifier)
);
