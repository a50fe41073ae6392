#!/usr/bin/env bash
# End-to-end test of `bench slurm submit` on a real single-node Slurm cluster.
#
# Installs Debian's Slurm and MUNGE packages (slurmctld, slurmd, slurm-client,
# munge), writes a throwaway slurm.conf that needs neither systemd nor cgroups,
# starts munged, slurmctld and slurmd, runs TestSlurmEndToEnd (cmd/bench), and
# stops the daemons it started, whatever happens. Needs root and apt-get
# (Debian 12 ships Slurm 22.05). Takes about a minute with the installation,
# about 15 seconds once the packages are installed.
#
# Usage: .ci/slurm.sh            (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "slurm.sh: needs root (it installs packages and runs the Slurm daemons)" >&2
  exit 1
fi

echo "== installing slurmctld slurmd slurm-client munge"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  # Keep the packages' init scripts from starting daemons with their default
  # configuration: this script starts its own.
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

work=$(mktemp -d /tmp/teachbench-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  # Stop only the daemons this script started, by their process IDs.
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/munge"
cat > "$work/slurm.conf" <<EOF
# Throwaway single-node cluster for teachbench's CI: no systemd, no cgroups,
# no accounting database.
ClusterName=teachbench-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

echo "== starting munged, slurmctld, slurmd"
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
# A private socket, so that a munged already running on this machine (if
# any) is neither used nor disturbed.
chown munge:munge "$work/munge"
sock="$work/munge/munge.socket"
runuser -u munge -- /usr/sbin/munged --socket="$sock" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
for _ in $(seq 50); do [ -s "$work/munge/munged.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/munge/munged.pid")")
echo "AuthInfo=socket=$sock" >> "$SLURM_CONF"

slurmctld -f "$SLURM_CONF" -i
for _ in $(seq 50); do [ -s "$work/slurmctld.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$work/slurmd.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmd.pid")")

for _ in $(seq 60); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  sleep 1
done
sinfo -N
if [ "$state" != idle ]; then
  echo "slurm.sh: the node did not become idle"; tail -n 30 "$work"/log/*.log; exit 1
fi

echo "== go test ./cmd/bench -run TestSlurmEndToEnd"
status=0
TEACHBENCH_SLURM=1 go test -count=1 -run '^TestSlurmEndToEnd$' -v ./cmd/bench || status=$?
if [ "$status" != 0 ]; then
  echo "== daemon logs"; tail -n 40 "$work"/log/*.log
fi
exit "$status"
