-- Less database work per lease: upload admission's ratio to the HTTP ceiling is held by PostgreSQL's CPU per grant
-- (docs/benchmarks.md). A grant wrote a heap row, four index entries and a foreign-key check (a lock on the vault's
-- row, itself written to the WAL); its end rewrote the row with two more entries. Now a grant writes two entries:
-- * no foreign key from upload_lease to vault: admission_write only writes leases for vaults whose counter row it
--   holds locked (vault_admission keeps its own key to vault), and vaults are never deleted;
-- * no index of open leases by vault: no query used it (the expiry job uses upload_lease_open_expiry);
-- * the index of ended leases holds ended ones only: an open lease (ended_at null) no longer gets an entry there
--   that its end then adds again. The day's roll-up asks for a range of ended_at, which implies it is not null.
ALTER TABLE upload_lease DROP CONSTRAINT upload_lease_vault_id_fkey;
DROP INDEX upload_lease_open_vault;
DROP INDEX upload_lease_ended;
CREATE INDEX upload_lease_ended ON upload_lease (ended_at) WHERE ended_at IS NOT NULL;


-- admission_write again, doing less per group: each instance now chooses the pod of each vault it may try (the one
-- with the fewest open leases it knows of, see PodLoad), so the function no longer joins every member of every
-- candidate vault with its counter and loops over them for each grant; it takes each candidate's pod and host with
-- it. It is still the arbiter of the limits: the vault counters are locked, checked and written here as before, and
-- the pod counters kept. An end that found its lease open (the usual case) no longer looks for earlier outcomes.
-- Per-stage timings of the V14 function that led here are in docs/benchmarks.md.
--
-- Ends:       e_id, e_outcome, e_bytes, e_files (one element per end).
-- Grants:     a_id (the new lease's id), a_client, a_size, a_by (one element per grant asked for).
-- Candidates: c_ask (1-based index into a_*), c_vault, c_limit, c_tome, c_position, c_host: each ask's vaults in the
--             order to try, with the tome and the pod (member position and its host) to use there.
-- Returns one row per lease ended here ('E', with where it was and when it was granted), per end of a lease that
-- had ended before ('O', with its outcome), and per grant made ('G'); an ask or end without a row was refused or
-- names no lease.
DROP FUNCTION admission_write(timestamptz, timestamptz, uuid[], text[], bigint[], int[], uuid[], text[], bigint[], text[],
                              int[], int[], int[], int[], int[], int[], bigint[]);
CREATE FUNCTION admission_write(
    p_now timestamptz, p_expires timestamptz,
    e_id uuid[], e_outcome text[], e_bytes bigint[], e_files int[],
    a_id uuid[], a_client text[], a_size bigint[], a_by text[],
    c_ask int[], c_vault int[], c_limit int[], c_tome int[], c_position int[], c_host bigint[])
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
    v_override int[] := '{}';
    v_writable boolean[] := '{}';
    g int[] := '{}'; -- the candidate (index into c_*) each grant was made on
    n int := cardinality(c_ask);
    vi int;
    j int;
    k int;
    ask int;
    placed boolean;
BEGIN
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

    FOR r IN SELECT a.vault_id, a.active, a.limit_override, w.writable
             FROM vault_admission a JOIN vault w ON w.id = a.vault_id
             WHERE a.vault_id = ANY(c_vault || ended_vault) ORDER BY a.vault_id FOR UPDATE OF a LOOP
        v_id := v_id || r.vault_id;
        v_active := v_active || r.active;
        v_override := v_override || r.limit_override;
        v_writable := v_writable || r.writable;
    END LOOP;
    FOR k IN 1 .. cardinality(ended_vault) LOOP -- connections given back here may be granted again here
        vi := array_position(v_id, ended_vault[k]);
        IF vi IS NOT NULL THEN
            v_active[vi] := v_active[vi] - 1;
        END IF;
    END LOOP;
    -- each ask in turn: its first candidate that is writable and under its limit
    j := 1;
    WHILE j <= n LOOP
        ask := c_ask[j];
        placed := false;
        WHILE j <= n AND c_ask[j] = ask LOOP
            IF NOT placed THEN
                vi := array_position(v_id, c_vault[j]);
                IF vi IS NOT NULL AND v_writable[vi] AND v_active[vi] < COALESCE(v_override[vi], c_limit[j]) THEN
                    v_active[vi] := v_active[vi] + 1;
                    g := g || j;
                    placed := true;
                END IF;
            END IF;
            j := j + 1;
        END LOOP;
    END LOOP;

    IF cardinality(g) = 0 AND cardinality(ended_vault) = 0 THEN
        RETURN;
    END IF;
    UPDATE vault_admission a SET active = a.active + c.n, updated_at = p_now
    FROM (SELECT v, sum(n)::int AS n
          FROM (SELECT c_vault[i] AS v, 1 AS n FROM unnest(g) AS x(i) UNION ALL SELECT v, -1 FROM unnest(ended_vault) AS e(v)) x
          GROUP BY v HAVING sum(n) <> 0) c
    WHERE a.vault_id = c.v;
    -- a pod's counter only spreads load (the vault's is the limit): a pod without its row yet gets one, and a count
    -- that would go below zero stops at zero rather than fail the group
    WITH c AS (SELECT v, p, sum(n)::int AS n
               FROM (SELECT c_vault[i] AS v, c_position[i] AS p, 1 AS n FROM unnest(g) AS x(i)
                     UNION ALL SELECT v, p, -1 FROM unnest(ended_vault, ended_position) AS e(v, p)) x
               GROUP BY v, p HAVING sum(n) <> 0),
         changed AS (UPDATE pod_admission d SET active = GREATEST(d.active + c.n, 0) FROM c
                     WHERE d.vault_id = c.v AND d.position = c.p RETURNING d.vault_id, d.position)
    INSERT INTO pod_admission (vault_id, position, active)
    SELECT c.v, c.p, c.n FROM c
    WHERE c.n > 0 AND NOT EXISTS (SELECT 1 FROM changed WHERE changed.vault_id = c.v AND changed.position = c.p)
    ON CONFLICT DO NOTHING;
    IF cardinality(g) > 0 THEN
        INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by, acquired_at, expires_at)
        SELECT a_id[c_ask[i]], c_vault[i], c_position[i], c_host[i], c_tome[i], a_client[c_ask[i]], a_size[c_ask[i]],
               a_by[c_ask[i]], p_now, p_expires
        FROM unnest(g) AS x(i);
        RETURN QUERY SELECT 'G', a_id[c_ask[i]], c_vault[i], c_position[i], p_now, NULL::text FROM unnest(g) AS x(i);
    END IF;
END
$$;
