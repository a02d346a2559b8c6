#!/bin/sh
# Runs CMD… against a throwaway, unlocked Secret Service so the keychain tests can run headless:
#
#   scripts/with-keyring.sh node scripts/test.js
#
# With dbus-run-session and gnome-keyring-daemon on PATH, CMD runs inside a private D-Bus session with a fresh
# gnome-keyring (password "pw", collection "login") and LP_TEST_KEYCHAIN=1. Without them, CMD runs as is and the
# keychain tests report themselves skipped. Exits with CMD's status.
#
# Gotchas hit on Debian/Ubuntu (gnome-keyring 46, headless, as root):
# - HOME and the XDG dirs must be swapped *before* dbus-run-session starts. D-Bus service activation
#   (/usr/share/dbus-1/services/org.freedesktop.secrets.service) starts gnome-keyring-daemon with the environment of
#   the bus daemon, not of the client, and it would then open the developer's real ~/.local/share/keyrings.
# - Letting D-Bus activate the daemon is not enough: it starts without a "login" collection, finding items works, but
#   storing one asks gcr-prompter for a new password, which fails without $DISPLAY ("Object does not exist at path
#   /org/freedesktop/secrets/collection/login"). `gnome-keyring-daemon --unlock` reads a password on stdin, creates
#   the "login" keyring with it (it becomes the default collection), unlocks it and daemonizes; no --start or
#   --daemonize is needed. It prints GNOME_KEYRING_CONTROL=…, which nothing here needs.
# - The password must be piped without a trailing newline (`printf`), or the newline becomes part of it.
# - The daemon is re-parented to init but exits when the session bus goes away, so nothing outlives this script.
# - dbus-daemon prints "Failed to set fd limit to 65536: Operation not permitted" in containers. It is harmless.
# - Without any session bus, keytar fails fast ("Cannot autolaunch D-Bus without X11 $DISPLAY"); it does not hang.
set -u

if [ "${LP_WITH_KEYRING_INNER:-}" = 1 ]; then
	# Inside the private session bus: start and unlock the keyring, wait until it owns its bus name, then run CMD.
	unset LP_WITH_KEYRING_INNER
	if ! printf '%s' pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; then
		echo 'with-keyring: gnome-keyring-daemon did not start' >&2
		exit 1
	fi

	if command -v dbus-send >/dev/null 2>&1; then
		tries=0
		until dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
			string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
			tries=$((tries + 1))
			if [ "$tries" -ge 50 ]; then
				echo 'with-keyring: the Secret Service did not appear on D-Bus within 5 s' >&2
				exit 1
			fi

			sleep 0.1
		done
	fi

	LP_TEST_KEYCHAIN=1
	export LP_TEST_KEYCHAIN
	exec "$@"
fi

if [ "$#" -eq 0 ]; then
	echo 'Usage: scripts/with-keyring.sh CMD…' >&2
	exit 2
fi

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		# A CI run must try the keychain: without one it would end green with the keychain tests skipped.
		echo 'with-keyring: dbus-run-session or gnome-keyring-daemon not found, and CI=true: install dbus and gnome-keyring' >&2
		exit 1
	fi

	echo 'with-keyring: dbus-run-session or gnome-keyring-daemon not found; running without a keychain (keychain tests skip)' >&2
	exec "$@"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/lp-onboard-keyring.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/state" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"

HOME="$scratch/home" \
	XDG_CONFIG_HOME="$scratch/config" \
	XDG_DATA_HOME="$scratch/data" \
	XDG_STATE_HOME="$scratch/state" \
	XDG_CACHE_HOME="$scratch/cache" \
	XDG_RUNTIME_DIR="$scratch/runtime" \
	LP_WITH_KEYRING_INNER=1 \
	dbus-run-session -- sh "$0" "$@"
