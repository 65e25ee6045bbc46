-- +goose Up
-- The certificate database of cfssl and cfssl-c (PostgreSQL), migration 001:
-- the tables of cfssl's certdb/pg migration of the same name. Apply in order
-- with `psql -v ON_ERROR_STOP=1 -f 001_CreateCertificates.sql -f 002_AddMetadataToCertificates.sql`
-- (or with goose: the files carry its annotation; there is no Down part).

CREATE TABLE certificates (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  ca_label                 bytea,
  status                   bytea NOT NULL,
  reason                   int,
  expiry                   timestamptz,
  revoked_at               timestamptz,
  pem                      bytea NOT NULL,
  PRIMARY KEY(serial_number, authority_key_identifier)
);

CREATE TABLE ocsp_responses (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  body                     bytea NOT NULL,
  expiry                   timestamptz,
  PRIMARY KEY(serial_number, authority_key_identifier),
  FOREIGN KEY(serial_number, authority_key_identifier)
    REFERENCES certificates(serial_number, authority_key_identifier)
);
