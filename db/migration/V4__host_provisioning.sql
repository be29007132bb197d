-- What provisioning tools know of a host before its agent runs, and operators' admin-state details.
ALTER TABLE host ADD COLUMN purchase_cost NUMERIC(14, 2);
ALTER TABLE host ADD COLUMN purchase_currency CHAR(3);
ALTER TABLE host ADD COLUMN maintenance_until TIMESTAMPTZ;
ALTER TABLE host ADD COLUMN admin_reason VARCHAR(300);
