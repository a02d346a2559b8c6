// What to do next, per failure. Apart from http.ts so the wizard can word its own messages without loading undici.
export const hints = {
	400: 'LivePerson refused the request as malformed. This is likely a bug in lp-onboard; please report it.',
	401: 'Check the API key values (app key, secret, access token, access token secret) or the user name and password, then re-run the wizard.',
	clock: 'Your computer\'s clock is more than 5 minutes off: set it right (turn on automatic time) and retry.',
	403: 'The user or API key lacks the permission for this call: sign in as an account administrator, or give the API key the needed permissions.',
	404: 'Check the account id.',
	409: 'The call conflicts with the account\'s current state; run the same command again in a minute.',
	429: 'LivePerson is rate limiting this account: wait a minute, then retry.',
	451: 'LivePerson has blocked this account or user name: contact LivePerson Support.',
	server: 'LivePerson is having trouble: retry later.',
	network: 'Check the network connection. Behind a proxy, set HTTPS_PROXY (and NO_PROXY for hosts that bypass it).',
	malformed: 'LivePerson sent an answer lp-onboard cannot read: retry later. Behind a proxy, check it does not rewrite responses (HTTPS_PROXY).',
} as const;
