-- Capacity blocks: each instance reserves a few of a vault's connections ahead of the asks and grants from them
-- without waiting for a commit; the lease row is written behind, in the instance's next group (docs/admission.md).
-- The database stays the arbiter: a vault's counter row now holds its open leases (active) and the spare
-- connections instances hold (reserved), and nothing is reserved or granted past active + reserved = limit.
ALTER TABLE vault_admission ADD COLUMN reserved INT NOT NULL DEFAULT 0 CHECK (reserved >= 0);

-- The spare connections one instance holds on one vault. Renewed by the instance about once a second; an instance
-- that stopped renewing (it crashed) has its blocks taken back by the expiry job once a lease it might have granted
-- from them, unwritten, would have expired (docs/admission.md). renewed_at is the database's clock, the same for
-- every instance. No foreign key: rows are written only under the lock of their vault's counter row.
CREATE TABLE admission_block (
    instance_id UUID        NOT NULL,
    vault_id    INT         NOT NULL,
    slots       INT         NOT NULL CHECK (slots >= 0),
    renewed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (instance_id, vault_id)
);

-- admission_write with blocks. The first sixteen arguments are those of V16 and mean what they meant; the rest
-- default to nothing, so a call of the V16 form still works:
-- p_instance     the calling instance (its blocks' key); p_renew: renew its blocks (and drop its empty ones)
-- b_*            leases already granted from the instance's blocks, written now: one element each
-- r_vault, r_delta, r_limit
--                block changes: a positive delta asks to reserve up to that many more connections on the vault (under
--                its limit: the override, else r_limit, and only while it is writable); a negative one gives back
--                that many spare connections
-- Returns V16's rows, and one 'R' row per block change (o_vault; o_position = connections reserved, or given back
-- as a negative number).
--
-- Order: the rows of leases granted from blocks are inserted first, so an end in the same group finds them; then
-- ends; then the vault counters are locked in vault order, then this instance's block rows. Every count is derived
-- from the block row as it is, not as the instance believes it is: a block taken back by the expiry job cannot be
-- spent or given back twice.
DROP FUNCTION admission_write(timestamptz, timestamptz, uuid[], text[], bigint[], int[], uuid[], text[], bigint[], text[],
                              int[], int[], int[], int[], int[], bigint[]);
CREATE FUNCTION admission_write(
    p_now timestamptz, p_expires timestamptz,
    e_id uuid[], e_outcome text[], e_bytes bigint[], e_files int[],
    a_id uuid[], a_client text[], a_size bigint[], a_by text[],
    c_ask int[], c_vault int[], c_limit int[], c_tome int[], c_position int[], c_host bigint[],
    p_instance uuid DEFAULT NULL, p_renew boolean DEFAULT false,
    b_id uuid[] DEFAULT '{}', b_client text[] DEFAULT '{}', b_size bigint[] DEFAULT '{}', b_by text[] DEFAULT '{}',
    b_vault int[] DEFAULT '{}', b_position int[] DEFAULT '{}', b_host bigint[] DEFAULT '{}', b_tome int[] DEFAULT '{}',
    b_at timestamptz[] DEFAULT '{}', b_expires timestamptz[] DEFAULT '{}',
    r_vault int[] DEFAULT '{}', r_delta int[] DEFAULT '{}', r_limit int[] DEFAULT '{}')
RETURNS TABLE (o_kind text, o_lease uuid, o_vault int, o_position int, o_acquired timestamptz, o_outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    r record;
    ended_id uuid[] := '{}';
    ended_vault int[] := '{}';
    ended_position int[] := '{}';
    v_id int[] := '{}';
    v_active int[] := '{}';
    v_reserved int[] := '{}';
    v_override int[] := '{}';
    v_writable boolean[] := '{}';
    v_block int[] := '{}';      -- this instance's spare connections on the vault
    v_block_was int[] := '{}';
    v_was_active int[] := '{}';
    v_was_reserved int[] := '{}';
    g int[] := '{}'; -- the candidate (index into c_*) each grant was made on
    n int := cardinality(c_ask);
    vi int;
    j int;
    k int;
    ask int;
    lim int;
    placed boolean;
BEGIN
    IF cardinality(b_id) > 0 THEN
        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by, acquired_at, expires_at)
        SELECT * FROM unnest(b_id, b_vault, b_position, b_host, b_tome, b_client, b_size, b_by, b_at, b_expires);
    END IF;

    IF cardinality(e_id) > 0 THEN
        -- in id order, so that groups ending the same leases (writers of one or several instances) never wait on
        -- each other in a cycle
        PERFORM 1 FROM upload_lease WHERE id = ANY(e_id) AND ended_at IS NULL ORDER BY id FOR UPDATE;
        FOR r IN UPDATE upload_lease l SET ended_at = p_now, outcome = c.outcome, bytes = c.bytes, files = c.files
                 FROM unnest(e_id, e_outcome, e_bytes, e_files) AS c(id, outcome, bytes, files)
                 WHERE l.id = c.id AND l.ended_at IS NULL
                 RETURNING l.id, l.vault_id, l.position, l.acquired_at, l.outcome LOOP
            ended_id := ended_id || r.id;
            ended_vault := ended_vault || r.vault_id;
            ended_position := ended_position || r.position;
            RETURN QUERY SELECT 'E', r.id, r.vault_id, r.position, r.acquired_at, r.outcome::text;
        END LOOP;
        IF cardinality(ended_id) < cardinality(e_id) THEN
            RETURN QUERY SELECT 'O', l.id, NULL::int, NULL::int, NULL::timestamptz, l.outcome::text FROM upload_lease l
                         WHERE l.id = ANY(e_id) AND NOT l.id = ANY(ended_id) AND l.outcome IS NOT NULL;
        END IF;
    END IF;

    FOR r IN SELECT a.vault_id, a.active, a.reserved, a.limit_override, w.writable
             FROM vault_admission a JOIN vault w ON w.id = a.vault_id
             WHERE a.vault_id = ANY(c_vault || ended_vault || b_vault || r_vault) ORDER BY a.vault_id FOR UPDATE OF a LOOP
        v_id := v_id || r.vault_id;
        v_active := v_active || r.active;
        v_reserved := v_reserved || r.reserved;
        v_was_active := v_was_active || r.active;
        v_was_reserved := v_was_reserved || r.reserved;
        v_override := v_override || r.limit_override;
        v_writable := v_writable || r.writable;
        v_block := v_block || 0;
    END LOOP;
    IF p_instance IS NOT NULL AND cardinality(v_id) > 0 THEN
        FOR r IN SELECT vault_id, slots FROM admission_block WHERE instance_id = p_instance AND vault_id = ANY(v_id)
                 ORDER BY vault_id FOR UPDATE LOOP
            v_block[array_position(v_id, r.vault_id)] := r.slots;
        END LOOP;
    END IF;
    v_block_was := v_block;
    FOR k IN 1 .. cardinality(ended_vault) LOOP -- connections given back here may be granted again here
        vi := array_position(v_id, ended_vault[k]);
        IF vi IS NOT NULL THEN
            v_active[vi] := v_active[vi] - 1;
        END IF;
    END LOOP;
    -- leases granted from a block: open now, each spending a spare connection of the block
    FOR k IN 1 .. cardinality(b_vault) LOOP
        vi := array_position(v_id, b_vault[k]);
        IF vi IS NOT NULL THEN
            v_active[vi] := v_active[vi] + 1;
            IF v_block[vi] > 0 THEN
                v_block[vi] := v_block[vi] - 1;
                v_reserved[vi] := GREATEST(v_reserved[vi] - 1, 0);
            END IF;
        END IF;
    END LOOP;
    -- spare connections given back
    FOR k IN 1 .. cardinality(r_vault) LOOP
        vi := array_position(v_id, r_vault[k]);
        IF vi IS NOT NULL AND r_delta[k] < 0 THEN
            j := LEAST(-r_delta[k], v_block[vi]);
            v_block[vi] := v_block[vi] - j;
            v_reserved[vi] := GREATEST(v_reserved[vi] - j, 0);
            RETURN QUERY SELECT 'R', NULL::uuid, r_vault[k], -j, NULL::timestamptz, NULL::text;
        END IF;
    END LOOP;
    -- each ask in turn: its first candidate that is writable with a connection neither open nor reserved
    j := 1;
    WHILE j <= n LOOP
        ask := c_ask[j];
        placed := false;
        WHILE j <= n AND c_ask[j] = ask LOOP
            IF NOT placed THEN
                vi := array_position(v_id, c_vault[j]);
                IF vi IS NOT NULL AND v_writable[vi]
                   AND v_active[vi] + v_reserved[vi] < COALESCE(v_override[vi], c_limit[j]) THEN
                    v_active[vi] := v_active[vi] + 1;
                    g := g || j;
                    placed := true;
                END IF;
            END IF;
            j := j + 1;
        END LOOP;
    END LOOP;
    -- blocks topped up last: asks of instances without spare connections come first
    FOR k IN 1 .. cardinality(r_vault) LOOP
        vi := array_position(v_id, r_vault[k]);
        IF r_delta[k] > 0 THEN
            j := 0;
            IF vi IS NOT NULL AND v_writable[vi] AND p_instance IS NOT NULL THEN
                lim := COALESCE(v_override[vi], r_limit[k]);
                j := LEAST(r_delta[k], GREATEST(lim - v_active[vi] - v_reserved[vi], 0));
                v_block[vi] := v_block[vi] + j;
                v_reserved[vi] := v_reserved[vi] + j;
            END IF;
            RETURN QUERY SELECT 'R', NULL::uuid, r_vault[k], j, NULL::timestamptz, NULL::text;
        END IF;
    END LOOP;

    UPDATE vault_admission a SET active = c.active, reserved = c.reserved, updated_at = p_now
    FROM unnest(v_id, v_active, v_reserved, v_was_active, v_was_reserved) AS c(v, active, reserved, was_active, was_reserved)
    WHERE a.vault_id = c.v AND (c.active <> c.was_active OR c.reserved <> c.was_reserved);
    IF p_instance IS NOT NULL THEN
        INSERT INTO admission_block (instance_id, vault_id, slots, renewed_at)
        SELECT p_instance, c.v, c.slots, now() FROM unnest(v_id, v_block, v_block_was) AS c(v, slots, was)
        WHERE c.slots <> c.was
        ON CONFLICT (instance_id, vault_id) DO UPDATE SET slots = EXCLUDED.slots, renewed_at = EXCLUDED.renewed_at;
        IF p_renew THEN
            DELETE FROM admission_block WHERE instance_id = p_instance AND slots = 0;
            UPDATE admission_block SET renewed_at = now() WHERE instance_id = p_instance;
        END IF;
    END IF;

    -- a pod's counter only spreads load (the vault's is the limit): a pod without its row yet gets one, and a count
    -- that would go below zero stops at zero rather than fail the group
    IF cardinality(g) > 0 OR cardinality(ended_vault) > 0 OR cardinality(b_vault) > 0 THEN
        WITH c AS (SELECT v, p, sum(n)::int AS n
                   FROM (SELECT c_vault[i] AS v, c_position[i] AS p, 1 AS n FROM unnest(g) AS x(i)
                         UNION ALL SELECT v, p, 1 FROM unnest(b_vault, b_position) AS b(v, p)
                         UNION ALL SELECT v, p, -1 FROM unnest(ended_vault, ended_position) AS e(v, p)) x
                   GROUP BY v, p HAVING sum(n) <> 0),
             changed AS (UPDATE pod_admission d SET active = GREATEST(d.active + c.n, 0) FROM c
                         WHERE d.vault_id = c.v AND d.position = c.p RETURNING d.vault_id, d.position)
        INSERT INTO pod_admission (vault_id, position, active)
        SELECT c.v, c.p, c.n FROM c
        WHERE c.n > 0 AND NOT EXISTS (SELECT 1 FROM changed WHERE changed.vault_id = c.v AND changed.position = c.p)
        ON CONFLICT DO NOTHING;
    END IF;
    IF cardinality(g) > 0 THEN
        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by, acquired_at, expires_at)
        SELECT a_id[c_ask[i]], c_vault[i], c_position[i], c_host[i], c_tome[i], a_client[c_ask[i]], a_size[c_ask[i]],
               a_by[c_ask[i]], p_now, p_expires
        FROM unnest(g) AS x(i);
        RETURN QUERY SELECT 'G', a_id[c_ask[i]], c_vault[i], c_position[i], p_now, NULL::text FROM unnest(g) AS x(i);
    END IF;
END
$$;
