// Every line fits 80 columns: a terminal wraps a longer one mid-word.
export const helpText = `lp-onboard — from a new LivePerson account to a signed API call, and
Functions provisioning

Usage
  $ lp-onboard [options]
      the wizard (account → domains → API key → bot user → provisioning)
  $ lp-onboard domains --account ID [--json]
      every service domain of an account (one CSDS call)
  $ lp-onboard api [METHOD] PATH [--data JSON|@FILE] [--service NAME] [--bearer]
      a signed call to any LivePerson API; {accountId} is filled in, the
      service's domain comes from CSDS, e.g.
      lp-onboard api /api/account/{accountId}/configuration/le-users/users?v=4.0
  $ lp-onboard auth header METHOD URL [--curl]
      print "Authorization: OAuth …" (or a curl command) for a request
  $ lp-onboard provision [--account ID | --accounts FILE] [--yes] [--dry-run]
                         [--json]
      provision LivePerson Functions for one account or many
  $ lp-onboard status [--json]
      profile, account, where each credential comes from, whether it works
  $ lp-onboard logout
      remove every keychain item and state this tool wrote for the profile
  $ lp-onboard sandbox [--port N] [--tls]
      run the embedded LivePerson sandbox and print its URL and demo logins
  $ lp-onboard doctor
      check Node, keychain, clock skew, proxy and CSDS reachability

Options
  --account ID            LivePerson account id (env LP_ACCOUNT_ID)
  --profile NAME          keep several setups apart (env LP_PROFILE, default
                          "default")
  --sandbox               run against an in-process LivePerson sandbox instead
                          of LivePerson
  --demo                  with --sandbox: use the demo account 12345678 and its
                          API key (env LP_SANDBOX_DEMO=1)
  --csds-url URL          CSDS origin (env LP_CSDS_URL, default
                          https://api.liveperson.net)
  --bot-name NAME         bot user login name (env LP_BOT_NAME, default
                          lp-onboard-bot)
  --login-method METHOD   api-key or password (env LP_LOGIN_METHOD)
  --username NAME         admin login for provisioning (env LP_USERNAME;
                          password from LP_PASSWORD, --stdin or prompt)
  --stdin                 read secrets as KEY=VALUE lines from stdin
                          (LP_APP_KEY, LP_APP_SECRET, LP_ACCESS_TOKEN,
                          LP_ACCESS_TOKEN_SECRET, LP_PASSWORD)
  --insecure-storage      keep credentials in a 0600 file when no OS keychain
                          is available
  --yes, -y               do not ask for confirmation (env LP_YES=1)
  --dry-run               provision: show what would change, change nothing
  --resume, --no-resume   provision: continue an interrupted run's checkpoint
                          (default), or ignore it
  --functions-version N   provision: 1 or 2 (default: detected from the
                          account's faasGW domain)
  --show-privileges       provision: list the privileges of the default app
                          keys
  --accounts FILE         provision: many accounts, one id a line or CSV
  --concurrency N         provision --accounts: accounts at once (default 3)
  --nonce, --timestamp    auth header: fix these for reproducible output
  --skip-provisioning     wizard: stop after the bot user
  --timeout SECONDS       per-request timeout (default 10)
  --json                  machine-readable result on stdout
  --help, --version

Secrets are never accepted as flags: use the environment, --stdin, or the
prompt. Without a terminal (or with CI=true) nothing is asked: a missing value
is an error naming its flag.

Exit codes
  0 done · 1 unexpected error (a bug)
  2 bad usage or input (api: any other 4xx) · 3 missing input (no terminal)
  4 authentication refused (401/403) · 5 network or LivePerson server error
  6 keychain unavailable · 7 provisioning partly failed
  8 refused (not an admin, nothing changed)
  9 local environment (HOME, files, disk, port)
  10 provisioning waits on the Functions UI · 11 doctor: a check failed
  130 cancelled (Ctrl-C, SIGTERM, SIGHUP)
`;
