#!/usr/bin/env bash
# The README's run command after set-up: database, demo data, demo coordinator, SMTP sink, app.
set -euo pipefail
cd "$(dirname "$0")/.."
export SCP_ENV=development
BIN=.venv/bin
DEMO_EMAIL=coordinator@example.org
# A Maildir: the sink writes each email to tmp/ then moves it to new/.
mkdir -p instance/mail/tmp instance/mail/new instance/mail/cur

[[ -f instance/scp_tracker.db ]] || rm -f instance/scp_tracker.db.demo-coordinator
"$BIN/scp-tracker" db upgrade
# The real plan moved to the current plan year, with its year so far (progress, events, rounds, reminders sent);
# once: a second run finds the year's plan and changes nothing.
"$BIN/scp-tracker" demo load

# The demo password is made once and kept in the instance folder, so a second run prints the same one.
if [[ ! -s instance/demo-password.txt ]]; then
  "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(12))' > instance/demo-password.txt
fi
# The marker is kept beside the database, so a fresh database gets a fresh demo coordinator.
if [[ ! -f instance/scp_tracker.db.demo-coordinator ]]; then
  "$BIN/scp-tracker" people add --name "Demo Coordinator" --email "$DEMO_EMAIL" --agency CBC \
    --role coordinator --password-stdin < instance/demo-password.txt
  touch instance/scp_tracker.db.demo-coordinator
fi

# A local SMTP sink: every email the app sends lands in instance/mail (a Maildir) and on this terminal.
"$BIN/python" -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Mailbox instance/mail &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT

cat <<TXT

  SCP Tracker is starting on http://127.0.0.1:5000
  Sign in as $DEMO_EMAIL with the password: $(cat instance/demo-password.txt)
  Emails are delivered to a local sink: instance/mail/new/ (one file per email)

TXT
"$BIN/scp-tracker" serve --host 127.0.0.1 --port 5000
