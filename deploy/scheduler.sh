#!/bin/sh
# The periodic commands, in one long-running process (compose.yaml's "scheduler"
# service; on a plain server a cron file or systemd timers do the same). Each command is
# idempotent, so a restart that runs one again does no harm; a failure is logged and
# tried again at the next turn.
#
# Every 5 minutes: publish_scheduled (Wagtail pages whose go-live or expiry time has
# come), sign_checkpoint (the decision log's checkpoint, if a decision is not covered).
# Once a day from 03:00 (TZ, default Europe/Stockholm): send_notification_digests,
# apply_retention, verify_decisions.
set -u

INTERVAL_SECONDS=300
DAILY_FROM_HOUR=3
export TZ="${TZ:-Europe/Stockholm}"

run() {
	echo "scheduler: manage.py $*"
	python manage.py "$@" || echo "scheduler: manage.py $* failed (exit $?)" >&2
}

last_daily_run=""
while :; do
	run publish_scheduled
	run sign_checkpoint
	today=$(date +%Y-%m-%d)
	hour=$(date +%H)
	if [ "$today" != "$last_daily_run" ] && [ "${hour#0}" -ge "$DAILY_FROM_HOUR" ]; then
		run send_notification_digests
		run apply_retention
		run verify_decisions
		last_daily_run=$today
	fi
	sleep "$INTERVAL_SECONDS"
done
