#!/usr/bin/env bash
# The database function admission_write alone, against the V14 version it replaced, inside PostgreSQL (no round
# trip, no commit in the timing): 200 calls of eight grants over four vaults and 200 calls of their eight ends, each
# call its own transaction, alternately for the two versions, three rounds. Against a server kept up by
# `BENCH_HOLD=600 bench/admission.sh` (after its vaults are formed):
#   bench/admission-write.sh <its PostgreSQL port, in its log: "localhost:PORT/postgres">
# It grants and ends leases of client 'bench-write' on that server's vaults (limits lifted meanwhile, put back to
# 16 after): run it on a benchmark server only.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:?PostgreSQL port of the benchmark server}
psql_() { psql -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
# the V14 function under another name, as it was
sed -n '/^CREATE FUNCTION admission_write(/,$p' db/migration/V14__admission_write.sql \
  | sed 's/^CREATE FUNCTION admission_write(/CREATE OR REPLACE FUNCTION pg_temp.admission_write_v14(/' > /tmp/admission_write_v14.$$.sql
psql_ -v ON_ERROR_STOP=1 <<SQL 2>&1 | sed -e "s/.*NOTICE:  //"
\i /tmp/admission_write_v14.$$.sql
UPDATE vault_admission SET limit_override = NULL;
INSERT INTO pod_admission (vault_id, position) SELECT vault_id, position FROM vault_member WHERE left_at IS NULL
ON CONFLICT DO NOTHING; -- (V14 needs every pod's row; V16 makes one on a pod's first grant)
DO \$do\$
DECLARE
  v int[] := (SELECT array_agg(vault_id ORDER BY vault_id) FROM vault_admission);
  ca int[]; cv int[]; cp int[]; ch bigint[]; mv int[]; mp int[]; mh bigint[];
  ids uuid[]; t0 timestamptz; n int; tg float8; te float8; f text;
BEGIN
  IF cardinality(v) < 4 THEN RAISE EXCEPTION 'needs the four vaults of bench/admission.sh'; END IF;
  -- each of eight asks tries the four vaults in order; the pod of vault k for ask a is member (a + k) % 20
  SELECT array_agg(x.a ORDER BY x.a, x.k), array_agg(v[x.k] ORDER BY x.a, x.k),
         array_agg(m.position ORDER BY x.a, x.k), array_agg(m.host_id ORDER BY x.a, x.k) INTO ca, cv, cp, ch
  FROM (SELECT a, k FROM generate_series(1, 8) a, generate_series(1, 4) k) x
  JOIN vault_member m ON m.vault_id = v[x.k] AND m.left_at IS NULL AND m.position = (x.a + x.k) % 20;
  SELECT array_agg(vault_id ORDER BY vault_id, position), array_agg(position ORDER BY vault_id, position),
         array_agg(host_id ORDER BY vault_id, position) INTO mv, mp, mh FROM vault_member WHERE left_at IS NULL;
  FOR r IN 1..3 LOOP
    FOREACH f IN ARRAY ARRAY['admission_write', 'admission_write_v14'] LOOP
      tg := 0; te := 0;
      FOR i IN 1..200 LOOP
        t0 := clock_timestamp();
        IF f = 'admission_write' THEN
          SELECT count(*) INTO n FROM admission_write(now(), now() + interval '10 min', '{}', '{}', '{}', '{}',
            (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 8)), array_fill('bench-write'::text, ARRAY[8]),
            array_fill(NULL::bigint, ARRAY[8]), array_fill('bench'::text, ARRAY[8]), ca, cv, array_fill(100000, ARRAY[32]),
            array_fill(0, ARRAY[32]), cp, ch);
        ELSE
          SELECT count(*) INTO n FROM pg_temp.admission_write_v14(now(), now() + interval '10 min', '{}', '{}', '{}', '{}',
            (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 8)), array_fill('bench-write'::text, ARRAY[8]),
            array_fill(NULL::bigint, ARRAY[8]), array_fill('bench'::text, ARRAY[8]), ca, cv, array_fill(100000, ARRAY[32]),
            array_fill(0, ARRAY[32]), mv, mp, mh);
        END IF;
        tg := tg + extract(epoch FROM clock_timestamp() - t0);
        COMMIT;
        IF n <> 8 THEN RAISE EXCEPTION '% granted % of 8', f, n; END IF;
        SELECT array_agg(id) INTO ids FROM upload_lease WHERE ended_at IS NULL AND client_id = 'bench-write';
        t0 := clock_timestamp();
        IF f = 'admission_write' THEN
          SELECT count(*) INTO n FROM admission_write(now(), now(), ids, array_fill('COMPLETED'::text, ARRAY[8]),
            array_fill(NULL::bigint, ARRAY[8]), array_fill(NULL::int, ARRAY[8]), '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');
        ELSE
          SELECT count(*) INTO n FROM pg_temp.admission_write_v14(now(), now(), ids, array_fill('COMPLETED'::text, ARRAY[8]),
            array_fill(NULL::bigint, ARRAY[8]), array_fill(NULL::int, ARRAY[8]), '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');
        END IF;
        te := te + extract(epoch FROM clock_timestamp() - t0);
        COMMIT;
        IF n <> 8 THEN RAISE EXCEPTION '% ended % of 8', f, n; END IF;
      END LOOP;
      RAISE NOTICE 'round %, %: eight grants % ms, eight ends % ms (means of 200 calls)', r,
        CASE f WHEN 'admission_write' THEN 'now (V16)' ELSE 'V14' END, round((tg * 1000 / 200)::numeric, 3), round((te * 1000 / 200)::numeric, 3);
    END LOOP;
  END LOOP;
END \$do\$;
UPDATE vault_admission SET limit_override = 16;
SQL
rm -f /tmp/admission_write_v14.$$.sql
