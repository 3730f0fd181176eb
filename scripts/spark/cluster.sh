#!/usr/bin/env bash
# A local Spark standalone cluster from the pyspark wheel: 1 master, 2 workers and the Thrift
# (HiveServer2) server that dbt-spark connects to, all started with pyspark's sbin/spark-daemon.sh
# (the wheel ships no start-*.sh scripts). Nothing is downloaded.
#
#   scripts/spark/cluster.sh start | stop | status | executors
#
# Environment (defaults): VENV (.venv), SPARK_RUN_DIR (data/spark: logs, pids, worker dirs and the
# warehouse files, which start clears: the catalog lives in the Thrift server's memory),
# SPARK_THRIFT_PORT (10000), SPARK_MASTER_PORT (7077), SPARK_WORKER_MEMORY (3g per worker),
# SPARK_EXECUTOR_MEMORY (2g), SPARK_DRIVER_MEMORY (4g).
# Exit status: 0 done; 1 a daemon did not come up (its log is printed); 2 usage or no Java.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status|executors" >&2; exit 2; }
[ $# -eq 1 ] || usage
action=$1

root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${VENV:-$root/.venv}
run_dir=${SPARK_RUN_DIR:-$root/data/spark}
thrift_port=${SPARK_THRIFT_PORT:-10000}
master_port=${SPARK_MASTER_PORT:-7077}
master_url="spark://127.0.0.1:${master_port}"
n_workers=2

if ! command -v java >/dev/null 2>&1; then
    echo "Java not found: Spark needs a JRE (Debian: apt-get install -y openjdk-17-jre-headless)" >&2
    exit 2
fi
SPARK_HOME=$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null) || {
    echo "pyspark is not installed in $venv: run make setup" >&2
    exit 2
}
export SPARK_HOME
export SPARK_LOG_DIR=$run_dir/logs SPARK_PID_DIR=$run_dir/pids SPARK_WORKER_DIR=$run_dir/work
export SPARK_LOCAL_IP=127.0.0.1
daemon=$SPARK_HOME/sbin/spark-daemon.sh
chmod +x "$SPARK_HOME"/sbin/*.sh "$SPARK_HOME"/bin/* 2>/dev/null || true

master=org.apache.spark.deploy.master.Master
worker=org.apache.spark.deploy.worker.Worker
thrift=org.apache.spark.sql.hive.thriftserver.HiveThriftServer2

port_open() { "$venv/bin/python" -c "import socket, sys; s = socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $1)))"; }

wait_for() {  # wait_for <what> <log glob> <pattern> <seconds>
    local what=$1 log_glob=$2 pattern=$3 seconds=$4 i
    for ((i = 0; i < seconds; i++)); do
        # shellcheck disable=SC2086
        if grep -qs -- "$pattern" $log_glob; then return 0; fi
        sleep 1
    done
    echo "$what did not start within ${seconds} s; its log:" >&2
    # shellcheck disable=SC2086
    tail -n 40 $log_glob >&2 || true
    exit 1
}

case $action in
start)
    if port_open "$thrift_port"; then
        echo "port $thrift_port is in use: a Thrift server is already running (scripts/spark/cluster.sh stop)" >&2
        exit 2
    fi
    mkdir -p "$SPARK_LOG_DIR" "$SPARK_PID_DIR" "$SPARK_WORKER_DIR"
    rm -f "$SPARK_LOG_DIR"/*.out
    started=$(date +%s)
    "$daemon" start "$master" 1 --host 127.0.0.1 --port "$master_port" --webui-port 8080 >/dev/null
    wait_for "Spark master" "$SPARK_LOG_DIR/*Master*.out" "elected leader" 60
    for ((i = 1; i <= n_workers; i++)); do
        "$daemon" start "$worker" "$i" --host 127.0.0.1 --cores 1 --memory "${SPARK_WORKER_MEMORY:-3g}" \
            --webui-port $((8080 + i)) "$master_url" >/dev/null
    done
    for ((i = 1; i <= n_workers; i++)); do
        wait_for "Spark worker $i" "$SPARK_LOG_DIR/*Worker-$i-*.out" "Successfully registered with master" 60
    done
    # The Thrift server is a Spark application on the cluster: its executors run on the workers.
    # Settings for a small cluster on local disks: 4 shuffle partitions for 2 executor cores, file
    # listing on the driver, partitions found by listing rather than kept in a metastore.
    # Settings every session needs, on any cluster, are in profiles.yml (server_side_parameters).
    # A dbt build is a thousand short queries, each in a new session (dbt opens one per node), and
    # the per-query cost is what counts (docs/research/spark.md, "Where the time goes"):
    # - the catalog lives in the Thrift server's memory. The Hive catalog (embedded Derby) rebuilt its
    #   metastore client, re-reading the Hive XML configuration, for nearly every table lookup of a new
    #   session: a third of the server's CPU. Tables last as long as the cluster, so start clears
    #   the warehouse folder the previous cluster left.
    # - no per-session artifact class loaders: with them each session's generated code was compiled
    #   again on every executor, each class lookup going through the driver's class server.
    # - the JVMs' quick (C1) JIT compiler costs less CPU than the optimising one would earn back
    #   (SPARK_JIT_OPTIONS='' restores the JVM default). C1 alone gets a 48 MB code cache, which
    #   Spark's generated code fills ("Out of space in CodeCache", the Thrift server dies): give it
    #   the tiered default's room.
    rm -rf "$run_dir/warehouse" "$run_dir/metastore_db"
    jit=${SPARK_JIT_OPTIONS--XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m}
    (cd "$run_dir" && "$daemon" submit "$thrift" 1 --master "$master_url" --name dbt-thrift \
        --driver-memory "${SPARK_DRIVER_MEMORY:-4g}" --executor-memory "${SPARK_EXECUTOR_MEMORY:-2g}" \
        --conf spark.sql.catalogImplementation=in-memory \
        --conf spark.sql.warehouse.dir="$run_dir/warehouse" \
        --conf spark.sql.artifact.isolation.enabled=false \
        --conf spark.sql.session.timeZone=UTC \
        --conf spark.sql.shuffle.partitions="${SPARK_SHUFFLE_PARTITIONS:-4}" \
        --conf spark.sql.adaptive.enabled=true \
        --conf spark.sql.sources.parallelPartitionDiscovery.threshold=100000 \
        --conf spark.driver.extraJavaOptions="$jit" \
        --conf spark.executor.extraJavaOptions="$jit" \
        --hiveconf hive.server2.thrift.port="$thrift_port" \
        --hiveconf hive.server2.thrift.bind.host=127.0.0.1 \
        >/dev/null)
    wait_for "Spark Thrift server" "$SPARK_LOG_DIR/*HiveThriftServer2*.out" "HiveThriftServer2 started" 180
    echo "Spark cluster up in $(($(date +%s) - started)) s: master $master_url, $n_workers workers," \
        "Thrift on 127.0.0.1:$thrift_port (UI http://127.0.0.1:8080, logs $SPARK_LOG_DIR)"
    ;;
stop)
    pids=$(cat "$SPARK_PID_DIR"/*.pid 2>/dev/null || true)
    "$daemon" stop "$thrift" 1 >/dev/null 2>&1 || true
    for ((i = 1; i <= n_workers; i++)); do "$daemon" stop "$worker" "$i" >/dev/null 2>&1 || true; done
    "$daemon" stop "$master" 1 >/dev/null 2>&1 || true
    # a JVM busy planning a query can take a while to honour SIGTERM: wait, then kill it
    for ((i = 0; i < 30; i++)); do
        alive=""
        for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
        [ -z "$alive" ] && break
        sleep 1
    done
    # shellcheck disable=SC2086
    [ -n "$alive" ] && kill -9 $alive 2>/dev/null || true
    echo "Spark cluster stopped"
    ;;
executors)
    # Proof that the work ran on the workers: tasks finished by each executor of the latest application.
    app=$(ls -td "$SPARK_WORKER_DIR"/app-* 2>/dev/null | head -n 1 || true)
    [ -n "$app" ] || { echo "no Spark application has run yet (no $SPARK_WORKER_DIR/app-*)" >&2; exit 1; }
    for log in "$app"/*/stderr; do
        echo "executor $(basename "$(dirname "$log")") of $(basename "$app"): $(grep -c 'Finished task' "$log") tasks finished ($log)"
    done
    ;;
status)
    for name in "$master 1" "$worker 1" "$worker 2" "$thrift 1"; do
        # shellcheck disable=SC2086
        "$daemon" status $name || true
    done
    ;;
*) usage ;;
esac
