-- The questions people ask of a fleet's traces, in SQL that DuckDB (`scapkit query`) and Spark SQL
-- (fleet.py) both run as written, over the views events, processes, connections and files of a
-- `scapkit export --format parquet` directory. Each question starts with a `-- name:` line; ${FROM} and
-- ${TO} are the time window (TIMESTAMP literals), filled in by whoever runs them.

-- name: curl_to_external
-- Which hosts ran curl to an external address (not loopback, not private) in a time window.
SELECT host, fd_sip AS address, count(*) AS connects, min(ts) AS first_connect
FROM events
WHERE proc_name = 'curl' AND type = 'connect' AND dir = '<' AND fd_sip IS NOT NULL
  AND ts >= ${FROM} AND ts < ${TO}
  AND NOT (fd_sip LIKE '127.%' OR fd_sip LIKE '10.%' OR fd_sip LIKE '192.168.%' OR fd_sip LIKE '172.1_.%'
           OR fd_sip LIKE '172.2_.%' OR fd_sip LIKE '172.3_.%' OR fd_sip = '::1' OR fd_sip LIKE 'fe80:%'
           OR fd_sip LIKE 'fd%:%' OR fd_sip = '0.0.0.0')
GROUP BY host, fd_sip
ORDER BY host, address;

-- name: top_files_written_per_container
-- The three files each container wrote most bytes to.
SELECT host, container_id, path, bytes_written
FROM (
  SELECT host, container_id, path, sum(bytes_written) AS bytes_written,
         row_number() OVER (PARTITION BY host, container_id ORDER BY sum(bytes_written) DESC, path) AS rank
  FROM files
  WHERE bytes_written > 0
  GROUP BY host, container_id, path
) ranked
WHERE rank <= 3
ORDER BY host, container_id, bytes_written DESC, path;

-- name: web_servers_spawning_shells
-- Shells started by web-server processes (nginx, httpd, apache2, lighttpd, caddy, or Python's http.server).
SELECT child.host, parent.proc_name AS server, parent.pid AS server_pid, child.proc_name AS shell,
       child.pid AS shell_pid, child.proc_args AS shell_args, child.first_seen
FROM processes child
JOIN processes parent
  ON parent.host = child.host AND parent.capture_id = child.capture_id AND parent.pid = child.ppid
WHERE child.proc_name IN ('sh', 'bash', 'dash', 'zsh', 'ash', 'ksh')
  AND (parent.proc_name IN ('nginx', 'httpd', 'apache2', 'lighttpd', 'caddy')
       OR (parent.proc_name LIKE 'python%' AND parent.proc_args LIKE '%http.server%'))
GROUP BY child.host, parent.proc_name, parent.pid, child.proc_name, child.pid, child.proc_args, child.first_seen
ORDER BY child.host, child.first_seen, shell_pid;

-- name: new_listening_ports
-- Ports each host started listening on in the window, and never before it in the data.
SELECT host, fd_sport AS port, min(ts) AS first_listen
FROM events
WHERE type = 'listen' AND dir = '<' AND res = 0 AND fd_sport IS NOT NULL
GROUP BY host, fd_sport
HAVING min(ts) >= ${FROM} AND min(ts) < ${TO}
ORDER BY host, port;
