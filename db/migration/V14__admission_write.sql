-- One group of upload grants and ends, written by one call (one round trip, one commit). Each writer of an
-- instance's admission ledger sends every grant and end that queued while it was writing its previous group. The function is the
-- arbiter: it locks the counters of the vaults the group touches in vault order, grants only while a vault is
-- writable and under its limit (the operator's override, else the limit the caller computed from the burn-in
-- period), and writes counters and lease rows together. Lock order, shared with the expiry job: lease rows, then
-- vault counters in vault order, then pod counters (changed only by a holder of their vault's counter).
--
-- Ends:       e_id, e_outcome, e_bytes, e_files (one element per end).
-- Grants:     a_id (the new lease's id), a_client, a_size, a_by (one element per grant asked for).
-- Candidates: c_ask (1-based index into a_*), c_vault, c_limit, c_tome: each ask's vaults in the order to try.
-- Members:    m_vault, m_position, m_host: the pods each candidate vault may be given (available ones).
-- Returns one row per lease ended here ('E', with where it was and when it was granted), per end of a lease that
-- had ended before ('O', with its outcome), and per grant made ('G'); an ask or end without a row was refused or
-- names no lease.
CREATE FUNCTION admission_write(
    p_now timestamptz, p_expires timestamptz,
    e_id uuid[], e_outcome text[], e_bytes bigint[], e_files int[],
    a_id uuid[], a_client text[], a_size bigint[], a_by text[],
    c_ask int[], c_vault int[], c_limit int[], c_tome int[],
    m_vault int[], m_position int[], m_host bigint[])
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
    v_from int[];
    v_to int[];
    q_vault int[];
    q_position int[];
    q_host bigint[];
    q_active int[];
    g_ask int[] := '{}';
    g_vault int[] := '{}';
    g_position int[] := '{}';
    g_host bigint[] := '{}';
    g_tome int[] := '{}';
    vi int;
    j int;
    k int;
    ask int;
    best int;
    ties int;
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
            ended_id := array_append(ended_id, r.id);
            ended_vault := array_append(ended_vault, r.vault_id);
            ended_position := array_append(ended_position, r.position);
            RETURN QUERY SELECT 'E', r.id, r.vault_id, r.position, r.acquired_at, r.outcome::text;
        END LOOP;
        RETURN QUERY SELECT 'O', l.id, NULL::int, NULL::int, NULL::timestamptz, l.outcome::text FROM upload_lease l
                     WHERE l.id = ANY(e_id) AND NOT l.id = ANY(ended_id) AND l.outcome IS NOT NULL;
    END IF;

    FOR r IN SELECT a.vault_id, a.active, a.limit_override, w.writable
             FROM vault_admission a JOIN vault w ON w.id = a.vault_id
             WHERE a.vault_id = ANY(c_vault || ended_vault) ORDER BY a.vault_id FOR UPDATE OF a LOOP
        v_id := array_append(v_id, r.vault_id);
        v_active := array_append(v_active, r.active);
        v_override := array_append(v_override, r.limit_override);
        v_writable := array_append(v_writable, r.writable);
    END LOOP;
    FOR k IN 1 .. cardinality(ended_vault) LOOP -- connections given back here may be granted again here
        vi := array_position(v_id, ended_vault[k]);
        IF vi IS NOT NULL THEN
            v_active[vi] := v_active[vi] - 1;
        END IF;
    END LOOP;
    IF cardinality(c_ask) > 0 AND cardinality(v_id) > 0 THEN
        SELECT array_agg(m.vault ORDER BY m.vault, m.position), array_agg(m.position ORDER BY m.vault, m.position),
               array_agg(m.host ORDER BY m.vault, m.position),
               array_agg(p.active - COALESCE(e.n, 0) ORDER BY m.vault, m.position)
        INTO q_vault, q_position, q_host, q_active
        FROM unnest(m_vault, m_position, m_host) AS m(vault, position, host)
        JOIN pod_admission p ON p.vault_id = m.vault AND p.position = m.position
        LEFT JOIN (SELECT v, p, count(*)::int AS n FROM unnest(ended_vault, ended_position) AS x(v, p) GROUP BY v, p) e
               ON e.v = m.vault AND e.p = m.position;
        -- each locked vault's members: a range of q_* (both sorted by vault)
        v_from := array_fill(0, ARRAY[cardinality(v_id)]);
        v_to := array_fill(-1, ARRAY[cardinality(v_id)]);
        vi := 1;
        FOR k IN 1 .. COALESCE(cardinality(q_vault), 0) LOOP
            WHILE vi <= cardinality(v_id) AND v_id[vi] < q_vault[k] LOOP
                vi := vi + 1;
            END LOOP;
            EXIT WHEN vi > cardinality(v_id);
            IF v_id[vi] = q_vault[k] THEN
                IF v_from[vi] = 0 THEN
                    v_from[vi] := k;
                END IF;
                v_to[vi] := k;
            END IF;
        END LOOP;
        -- each ask in turn: its first candidate that is writable, under its limit and has a pod to count it on;
        -- there, the pod with the fewest open leases (ties at random)
        j := 1;
        WHILE j <= cardinality(c_ask) LOOP
            ask := c_ask[j];
            placed := false;
            WHILE j <= cardinality(c_ask) AND c_ask[j] = ask LOOP
                vi := CASE WHEN placed THEN NULL ELSE array_position(v_id, c_vault[j]) END;
                IF vi IS NOT NULL AND v_writable[vi] AND v_from[vi] > 0
                        AND v_active[vi] < COALESCE(v_override[vi], c_limit[j]) THEN
                    best := NULL;
                    ties := 0;
                    FOR k IN v_from[vi] .. v_to[vi] LOOP
                        IF best IS NULL OR q_active[k] < q_active[best] THEN
                            best := k;
                            ties := 1;
                        ELSIF q_active[k] = q_active[best] THEN
                            ties := ties + 1;
                            IF random() * ties < 1 THEN
                                best := k;
                            END IF;
                        END IF;
                    END LOOP;
                    v_active[vi] := v_active[vi] + 1;
                    q_active[best] := q_active[best] + 1;
                    g_ask := array_append(g_ask, ask);
                    g_vault := array_append(g_vault, c_vault[j]);
                    g_position := array_append(g_position, q_position[best]);
                    g_host := array_append(g_host, q_host[best]);
                    g_tome := array_append(g_tome, c_tome[j]);
                    placed := true;
                END IF;
                j := j + 1;
            END LOOP;
        END LOOP;
    END IF;

    IF cardinality(g_vault) = 0 AND cardinality(ended_vault) = 0 THEN
        RETURN;
    END IF;
    UPDATE vault_admission a SET active = a.active + c.n, updated_at = p_now
    FROM (SELECT v, sum(n)::int AS n
          FROM (SELECT v, 1 AS n FROM unnest(g_vault) AS g(v) UNION ALL SELECT v, -1 FROM unnest(ended_vault) AS e(v)) x
          GROUP BY v HAVING sum(n) <> 0) c
    WHERE a.vault_id = c.v;
    UPDATE pod_admission d SET active = d.active + c.n
    FROM (SELECT v, p, sum(n)::int AS n
          FROM (SELECT v, p, 1 AS n FROM unnest(g_vault, g_position) AS g(v, p)
                UNION ALL SELECT v, p, -1 FROM unnest(ended_vault, ended_position) AS e(v, p)) x
          GROUP BY v, p HAVING sum(n) <> 0) c
    WHERE d.vault_id = c.v AND d.position = c.p;
    INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, size_hint, granted_by, acquired_at, expires_at)
    SELECT a_id[g.ask], g.v, g.p, g.h, g.t, a_client[g.ask], a_size[g.ask], a_by[g.ask], p_now, p_expires
    FROM unnest(g_ask, g_vault, g_position, g_host, g_tome) AS g(ask, v, p, h, t);
    RETURN QUERY SELECT 'G', a_id[g.ask], g.v, g.p, p_now, NULL::text FROM unnest(g_ask, g_vault, g_position) AS g(ask, v, p);
END
$$;
