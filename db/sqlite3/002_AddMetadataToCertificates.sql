-- +goose Up
-- cfssl-c certificate database for SQLite, step 2 of 2: the columns cfssl's
-- migration 002 adds (cfssl master writes and reads them).
ALTER TABLE certificates ADD COLUMN "issued_at" timestamp;
ALTER TABLE certificates ADD COLUMN "not_before" timestamp;
ALTER TABLE certificates ADD COLUMN "metadata" text;
ALTER TABLE certificates ADD COLUMN "sans" text;
ALTER TABLE certificates ADD COLUMN "common_name" text;
