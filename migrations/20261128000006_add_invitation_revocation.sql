alter table invitations add column revoked_at timestamptz;
