/** Where CSDS lives in production (docs/contract.md, Domain API). Every other host comes from CSDS. */
export const defaultCsdsUrl = 'https://api.liveperson.net';
