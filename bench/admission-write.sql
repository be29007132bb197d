-- The database function admission_write alone, timed by psql (docs/benchmarks.md, upload admission): eight grants
-- over four vaults, the eight ends of them, and eight grants with no pod to count them on (nothing written: the
-- fixed cost). Against a server kept up by `BENCH_HOLD=600 bench/admission.sh` (after its vaults are formed):
--   psql -h 127.0.0.1 -p <its PostgreSQL port, in its log> -U postgres -f bench/admission-write.sql
-- It grants and ends leases of client 'psql' on that server's vaults; run it on a benchmark server only.
INSERT INTO pod_admission (vault_id, position) SELECT vault_id, position FROM vault_member WHERE left_at IS NULL
ON CONFLICT DO NOTHING;
SELECT array_agg(vault_id ORDER BY vault_id) AS v FROM vault_admission \gset
SELECT array_agg(vault_id ORDER BY vault_id, position) AS mv, array_agg(position ORDER BY vault_id, position) AS mp,
       array_agg(host_id ORDER BY vault_id, position) AS mh FROM vault_member WHERE left_at IS NULL \gset
SELECT array_agg(a ORDER BY a, k) AS ca, array_agg((:'v'::int[])[k] ORDER BY a, k) AS cv
FROM generate_series(1, 8) a, generate_series(1, 4) k \gset
PREPARE grants(int[], int[], bigint[]) AS SELECT count(*) FROM admission_write(now(), now() + interval '10 min',
  '{}', '{}', '{}', '{}', (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 8)),
  array_fill('psql'::text, ARRAY[8]), array_fill(NULL::bigint, ARRAY[8]), array_fill('psql'::text, ARRAY[8]),
  :'ca', :'cv', array_fill(100000, ARRAY[32]), array_fill(0, ARRAY[32]), $1, $2, $3);
PREPARE ends AS SELECT count(*) FROM admission_write(now(), now() + interval '10 min',
  (SELECT array_agg(id) FROM upload_lease WHERE ended_at IS NULL AND client_id = 'psql'),
  (SELECT array_agg('COMPLETED'::text) FROM upload_lease WHERE ended_at IS NULL AND client_id = 'psql'),
  (SELECT array_agg(NULL::bigint) FROM upload_lease WHERE ended_at IS NULL AND client_id = 'psql'),
  (SELECT array_agg(NULL::int) FROM upload_lease WHERE ended_at IS NULL AND client_id = 'psql'),
  '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');
EXECUTE grants(:'mv', :'mp', :'mh'); -- warm: the function's plans are made on its first calls
EXECUTE ends;
\timing on
\echo eight grants, then their eight ends, three times
EXECUTE grants(:'mv', :'mp', :'mh');
EXECUTE ends;
EXECUTE grants(:'mv', :'mp', :'mh');
EXECUTE ends;
EXECUTE grants(:'mv', :'mp', :'mh');
EXECUTE ends;
\echo eight grants with no pod to count them on: nothing written
EXECUTE grants('{}', '{}', '{}');
EXECUTE grants('{}', '{}', '{}');
