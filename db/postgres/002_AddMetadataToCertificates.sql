-- +goose Up
-- Migration 002 (PostgreSQL): the columns cfssl 1.4 and later fill in.
ALTER TABLE certificates
  ADD COLUMN issued_at timestamptz,
  ADD COLUMN not_before timestamptz,
  ADD COLUMN metadata jsonb,
  ADD COLUMN sans jsonb,
  ADD COLUMN common_name TEXT;
